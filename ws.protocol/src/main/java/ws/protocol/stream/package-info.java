/**
 * Messages as streams and as a {@link java.util.concurrent.Flow.Publisher}, on every transport, built
 * on the fragment-level path ({@link ws.protocol.api.FragmentListener}, the partial sends of
 * {@link ws.protocol.api.WebSocket}) and on the connection's {@link ws.protocol.driver.ReadPause},
 * where the reading thread waits for the application so that backpressure reaches the network.
 *
 * <ul>
 *   <li>{@link ws.protocol.stream.MessageStreams}: receive each message as an
 *       {@link java.io.InputStream} or a {@link java.io.Reader} ({@link ws.protocol.stream.StreamingListener}),
 *       send one as an {@link java.io.OutputStream} or a {@link java.io.Writer};</li>
 *   <li>{@link ws.protocol.stream.MessagePublisher}: a connection's messages with demand.</li>
 * </ul>
 *
 * <p><b>Limits.</b> A streamed message (and any message a {@code FragmentListener} receives) is bounded by
 * {@link ws.protocol.Limits#maxStreamedMessageSize()} (1 GiB by default), not by
 * {@code maxMessageSize}: it is never held whole. Each frame is held whole, within
 * {@code maxFramePayload}, and its inflated payload within {@code maxMessageSize}.
 */
package ws.protocol.stream;
