/** The README's quick starts: an echo server and a client. A transport is found at run time. */
module com.example.quickstart {
    requires ws.protocol;
}
