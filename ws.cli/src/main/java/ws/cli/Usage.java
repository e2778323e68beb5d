package ws.cli;

/** The help text of the {@code ws} tool. */
final class Usage {
    static final String TEXT = """
            usage: ws <command> [options]

            commands:
              echo [--port P] [--host H] [--transport T] [--deflate] [--tls [--cert F --key F]]
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
                  --cert F        the certificate chain (PEM, leaf first)
                  --key F         its private key (PEM: PKCS#8, PKCS#1 RSA or SEC1 EC)

              broadcast [--port P] [--host H] [--transport T] [--no-extensions]
                  A broadcast server on every path: each message received from any client is
                  sent to every connected client, the sender included, encoded once.

              connect URL [--echo] [--transport T] [--header 'Name: value']... [--subprotocol P]...
                      [--deflate | --no-extensions] [--ca F | --insecure]
                      [--proxy URL | --proxy-from-env | --no-proxy]
                  An interactive client: each line of standard input is sent as a text message,
                  each message received is printed after "< " (binary as its size and hex).
                  Connection details and the close status go to standard error. Ends when input
                  ends (closing with 1000) or when the server closes. Exits 0 after a 1000/1001
                  close, 1 otherwise.
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

            common options:
              --transport T       blocking (a platform thread per connection) or virtual
                                  (a virtual thread per connection); default: the installed
                                  transport with the highest priority
              --verbose, -v       debug logging (to standard error)
              --help, -h          this text

            exit status: 0 success, 1 connection failure or abnormal close, 2 usage error
            """;

    private Usage() {
    }
}
