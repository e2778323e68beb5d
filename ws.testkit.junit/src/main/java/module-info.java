/**
 * A JUnit 5 extension for ws.testkit: {@link ws.testkit.junit.LoopbackTest @LoopbackTest} starts a
 * loopback server for each test from a {@link ws.testkit.junit.LoopbackServer @LoopbackServer}
 * member of the test class, injects the {@link ws.testkit.Loopback}, its
 * {@link ws.testkit.ManualClock}, the server, loopback clients and handshaken
 * {@link ws.testkit.RawPeer raw peers} as parameters, and closes everything after each test.
 *
 * <p><b>On the module path</b> this module requires {@code org.junit.jupiter.api}, so JUnit's jars
 * must be modules there too, and Surefire's launcher (in the unnamed module) then needs
 * {@code --add-exports org.junit.platform.commons/org.junit.platform.commons.util=ALL-UNNAMED}
 * and {@code --add-opens} of the test packages to {@code org.junit.platform.commons}; see
 * docs/testkit.md for the exact Surefire configuration. ws.testkit itself needs nothing of the kind.
 */
module ws.testkit.junit {
    requires transitive ws.testkit;
    requires transitive org.junit.jupiter.api;

    exports ws.testkit.junit;
}
