/** The {@code ws} command-line tool: echo server, interactive client. */
module ws.cli {
    requires ws.protocol;
    requires ws.transport.blocking;
    requires ws.transport.virtualthreads;
}
