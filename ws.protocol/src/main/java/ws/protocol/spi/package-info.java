/**
 * What a transport implements. Transports are found with {@link java.util.ServiceLoader}
 * ({@code provides ws.protocol.spi.Transport with ...}) or passed explicitly to the options builders.
 */
package ws.protocol.spi;
