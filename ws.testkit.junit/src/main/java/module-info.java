/**
 * A JUnit 5 extension for ws.testkit: {@link ws.testkit.junit.LoopbackTest @LoopbackTest} starts a
 * loopback server for each test from a {@link ws.testkit.junit.LoopbackServer @LoopbackServer}
 * member of the test class, injects the {@link ws.testkit.Loopback}, its
 * {@link ws.testkit.ManualClock}, the server, loopback clients and handshaken
 * {@link ws.testkit.RawPeer raw peers} as parameters, and closes everything after each test.
 *
 * <p><b>On the module path</b> this module requires {@code org.junit.jupiter.api}, so JUnit is a
 * named module wherever this one is. Its own tests run that way (Surefire 3.6.1, JUnit 5.14.4) with
 * no extra flag. A downstream project with {@code module-info.java} in main only needs nothing: its
 * tests are patched into its module and test libraries, this one included, sit on the class path.
 * For the known Surefire/JUnit {@code IllegalAccessError} in other setups, see docs/testkit.md.
 */
module ws.testkit.junit {
    requires transitive ws.testkit;
    requires transitive org.junit.jupiter.api;

    exports ws.testkit.junit;
}
