package ws.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** How an injected {@link ws.testkit.RawPeer} parameter connects. */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Raw {

    /** The path of its opening handshake; empty: the {@link LoopbackServer#path()}. */
    String path() default "";

    /** Whether to do the opening handshake (else the peer is only connected). */
    boolean handshake() default true;

    /** The seed of its masking keys. */
    long seed() default ws.testkit.RawPeer.DEFAULT_SEED;
}
