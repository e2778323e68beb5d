package ws.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the member of a {@link LoopbackTest @LoopbackTest} class that says which server to start for
 * each test: a field, or a method without parameters, static or not, of one of these types:
 * <ul>
 *   <li>{@link ws.protocol.api.WebSocketListener}: the handler, on the route {@link #path()};</li>
 *   <li>{@link ws.protocol.api.ServerOptions.Builder}: routes and options as in production (its
 *       transport is set to the loopback);</li>
 *   <li>{@link ws.protocol.api.ServerOptions}: started on the loopback as they are.</li>
 * </ul>
 * A method is called once per test, so it can return a fresh handler each time.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface LoopbackServer {

    /** The route of a bare listener, and the path injected {@code RawPeer}s and the {@code URI} use. */
    String path() default "/";
}
