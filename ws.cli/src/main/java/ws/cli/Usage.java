package ws.cli;

/** The help text of the {@code ws} tool. */
final class Usage {
    /** Commands in the order the full help lists them; each text starts with its synopsis line. */
    static final String ECHO = """
              echo [--port P] [--host H] [--transport T] [--deflate] [--tls [--cert F --key F]]
                   [--high-water N] [--backpressure wait|fail|close]
                  An echo server on every path: each text message back as text, each binary
                  message as binary. Prints "listening on ws://H:P/" once it accepts; Ctrl-C or
                  SIGTERM closes every connection with 1001 and exits 0.
                  --port P        the port (default 8080; 0 picks a free one)
                  --host H        the address to bind (default 127.0.0.1; 0.0.0.0 for all)
                  --deflate       accept permessage-deflate (RFC 7692); without it the server
                                  accepts no extension (plain RFC 6455)
                  --tls           wss://: TLS 1.3/1.2. Without --cert/--key, a self-signed development
                                  certificate for localhost, 127.0.0.1 and ::1 is made: its SHA-256
                                  fingerprint is printed, and its PEM file path for --ca
                                  (that needs BouncyCastle: ./ws has it, the jlink image not)
                  --cert F        the certificate chain (PEM, leaf first)
                  --key F         its private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC)
                  --high-water N  the buffered bytes per connection above which the
                                  backpressure policy applies (default 67108864, 64 MiB)
                  --backpressure wait|fail|close
                                  wait: a send waits until the client reads (the default;
                                  a broadcast skips that client); fail: the send fails (a
                                  broadcast skips the client); close: the client is
                                  dropped with 1008 (policy violation)
            """;
    static final String BROADCAST = """
              broadcast [--port P] [--host H] [--transport T] [--deflate] [--tls [--cert F --key F]]
                        [--high-water N] [--backpressure wait|fail|close]
                  A broadcast server on every path: each message received from any client is
                  sent to every connected client, the sender included, encoded once. Its
                  options, output and shutdown are those of echo (see ws echo --help).
            """;
    static final String CHAT = """
              chat [--port P] [--host H] [--transport T] [--redis redis://HOST:PORT]
                  The chat demo: open http://H:P/ (default http://127.0.0.1:8080/) in a few
                  browser tabs. Rooms, who is here, messages; a lost connection shows
                  "reconnecting" and, once back, what was missed (Socket.IO v5 over WebSocket
                  on /socket.io/, connection state recovery for two minutes).
                  --redis URI     one node of a cluster: run several on other ports with the
                                  same Redis, and rooms span them (ws.events.redis)
            """;
    static final String CONNECT = """
              connect URL [--echo] [--transport T] [--header 'Name: value']... [--subprotocol P]...
                      [--deflate | --no-extensions] [--ca F | --insecure]
                      [--proxy URL | --proxy-from-env | --no-proxy] [--reconnect] [--ping SECONDS]
                      [--raw] [--json]
                  An interactive client: each line typed is sent as a text message, each message
                  received is printed after "< " (binary as its size and hex). Connection details
                  and the close status go to standard error. Ends when input ends (closing with
                  1000) or when the server closes. Exits 0 after a 1000/1001 close, 1 otherwise.
                  On a terminal: a line editor (Up/Down history, Left/Right, Ctrl-A/Ctrl-E,
                  Ctrl-R search; Ctrl-D or Ctrl-C closes), messages printed above the line being
                  typed, JSON objects and arrays indented, colours (none when NO_COLOR is set).
                  From a pipe or a file: one plain line per message, nothing coloured.
                  --echo          ignore standard input; send every message back unchanged
                  --header H      an extra request header (repeatable)
                  --subprotocol P a subprotocol to offer, most preferred first (repeatable)
                  --deflate       offer permessage-deflate (the default, as every client does)
                  --no-extensions offer no extension
                  --ca F          wss://: trust exactly the CA certificates of PEM file F
                                  (default: the system's trust store)
                  --insecure      wss://: trust any certificate and skip host name checks
                                  (development only; a warning is logged)
                  --proxy URL     through this HTTP proxy (CONNECT), http://[user:pass@]host:port;
                                  the credentials answer a 407 (Basic)
                  --proxy-from-env  the proxy of $https_proxy / $HTTPS_PROXY (wss://) or
                                  $http_proxy / $HTTP_PROXY (ws://), except hosts in $NO_PROXY
                  --no-proxy      connect directly (default: the JVM's proxy settings, the
                                  -Dhttps.proxyHost / -Dhttp.proxyHost properties)
                  --reconnect     connect again whenever the connection is lost (backoff 1 s
                                  doubling to 30 s, with jitter); lines typed while down are
                                  sent once back; "* reconnecting" lines on standard error
                  --ping SECONDS  a keepalive ping after SECONDS without traffic; no pong
                                  within 20 s drops the connection (default: 30; 0: never)
                  --raw           show JSON messages as they came, not indented
                  --json          for scripts: every event as one JSON object per line on
                                  standard output (open, message, ping, pong, error, close;
                                  binary data in base64), nothing on standard error
            """;
    private static final String COMMON = """
            common options:
              --transport T       blocking (a platform thread per connection), virtual
                                  (a virtual thread per connection) or eventloop (a few
                                  loop threads for every connection); each serves ws://
                                  and wss://; default: the installed transport with
                                  the highest priority
              --verbose, -v       debug logging (to standard error)
              --help, -h          this text
            """;
    private static final String EXIT = """
                exit status: 0 success, 1 connection failure or abnormal close, 2 usage error
                """;

    /** {@code ws --help}: every command. */
    static final String TEXT = "usage: ws <command> [options]\n\ncommands:\n" + ECHO + "\n" + BROADCAST + "\n" + CHAT + "\n" + CONNECT
            + "\n" + COMMON + "\n" + EXIT;

    /** {@code ws COMMAND --help}: that command and the common options; the full text for anything else. */
    static String of(String command) {
        String text = switch (command) {
            case "echo" -> ECHO;
            case "broadcast" -> BROADCAST;
            case "chat" -> CHAT;
            case "connect" -> CONNECT;
            default -> null;
        };
        return text == null ? TEXT : "usage: ws " + text.stripLeading() + "\n" + COMMON + "\n" + EXIT;
    }

    private Usage() {
    }
}
