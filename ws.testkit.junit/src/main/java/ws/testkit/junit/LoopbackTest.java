package ws.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of the class with a fresh {@link ws.testkit.Loopback} (manual clock): the server
 * from the class's {@link LoopbackServer @LoopbackServer} member is started before each test, and
 * everything is closed after it. Test and lifecycle methods may declare parameters of these types:
 * <ul>
 *   <li>{@link ws.testkit.Loopback}, {@link ws.testkit.ManualClock};</li>
 *   <li>{@link ws.protocol.api.WebSocketServer}: the started server;</li>
 *   <li>{@link ws.protocol.api.WebSocketClient}: a loopback client (a new one per parameter);</li>
 *   <li>{@link ws.testkit.RawPeer}: a raw client connected to the server, its opening handshake done
 *       on the server's path (or as {@link Raw @Raw} says);</li>
 *   <li>{@link java.net.URI}: the server's URI ({@code ws://loopback:port/path}).</li>
 * </ul>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(LoopbackExtension.class)
public @interface LoopbackTest {
}
