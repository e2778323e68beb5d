package ws.events.spi;

/** Makes the {@link Adapter} of each namespace. */
@FunctionalInterface
public interface AdapterFactory {

    /** An adapter for a new namespace. */
    Adapter create(LocalNamespace namespace);

    /** The default: {@link InMemoryAdapter}, keeping up to 100,000 events for recovery. */
    static AdapterFactory inMemory() {
        return InMemoryAdapter::new;
    }
}
