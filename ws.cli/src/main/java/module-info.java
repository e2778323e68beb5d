/**
 * The {@code ws} command-line tool: an echo server, a broadcast server, the chat demo and an interactive client (like wscat), on
 * either socket transport. Not needed by library users; it is also what the jlink image launches.
 */
module ws.cli {
    requires ws.protocol;
    requires org.slf4j;
    // sun.misc.Signal: SIGINT and SIGTERM become an orderly exit with status 0 (the shutdown hook
    // then closes every connection with 1001), instead of the JVM's 130 and 143.
    requires jdk.unsupported;
    // The transports are found with ServiceLoader; requiring them keeps them in every module graph
    // and image the tool runs in, so --transport blocking|virtual|eventloop always works.
    requires ws.transport.blocking;
    requires ws.transport.virtualthreads;
    requires ws.transport.eventloop;
    // wss:// (echo --tls, connect --ca/--insecure) and development certificates; it brings BouncyCastle
    // into the tool's image, which is fine for the tool (a ws://-only application never requires it)
    requires ws.transport.tls;
    // ws connect on a terminal: the line editor (history, editing, messages printed above the line
    // being typed). JLine 4's jars are explicit modules; org.jline.terminal comes with the reader.
    requires org.jline.reader;
    // ws connect: JSON messages indented and --json event lines, streamed by jackson-core (already in
    // the tool through ws.events' Jackson: no new jar)
    requires com.fasterxml.jackson.core;
    // ws chat: the event server (Socket.IO v5) behind the chat demo
    requires ws.events;
    // ws chat --redis: a cluster node. Static: Lettuce is an automatic module, which jlink cannot
    // link, so the image leaves Redis out (--redis says so); ./ws adds it with --add-modules.
    requires static ws.events.redis;
    // The chat's records (Join, Joined, Message, RoomInfo) are read and written by ws.events' Jackson.
    opens ws.cli to com.fasterxml.jackson.databind;

    // Extensions (permessage-deflate) the echo server and the client enable when installed.
    uses ws.protocol.extension.ExtensionFactory;
}
