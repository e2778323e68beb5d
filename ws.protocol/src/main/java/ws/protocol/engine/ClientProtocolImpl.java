package ws.protocol.engine;

import java.nio.ByteBuffer;
import java.util.List;
import ws.protocol.PreparedMessage;
import ws.protocol.Side;
import ws.protocol.extension.ExtensionParameters;

/** CONTRACT STUB: the engine helper implements. */
final class ClientProtocolImpl extends ClientProtocol {
    ClientProtocolImpl(ProtocolConfig config, java.net.URI uri, java.util.List<String> subprotocols, ws.protocol.handshake.HttpHeaders headers) {
    }

    private static UnsupportedOperationException todo() {
        return new UnsupportedOperationException("CONTRACT STUB");
    }

    @Override public ws.protocol.handshake.HandshakeRequest request() { throw todo(); }
    @Override public Side side() { throw todo(); }
    @Override public ProtocolState state() { throw todo(); }
    @Override public void receiveData(ByteBuffer data) { throw todo(); }
    @Override public void receiveEof() { throw todo(); }
    @Override public List<ProtocolEvent> events() { throw todo(); }
    @Override public List<ByteBuffer> dataToSend() { throw todo(); }
    @Override public long pendingOutputBytes() { throw todo(); }
    @Override public boolean closeExpected() { throw todo(); }
    @Override public String subprotocol() { throw todo(); }
    @Override public List<ExtensionParameters> extensions() { throw todo(); }
    @Override public void sendText(CharSequence text) { throw todo(); }
    @Override public void sendText(CharSequence part, boolean last) { throw todo(); }
    @Override public void sendBinary(ByteBuffer data) { throw todo(); }
    @Override public void sendBinary(ByteBuffer part, boolean last) { throw todo(); }
    @Override public void sendPrepared(PreparedMessage message) { throw todo(); }
    @Override public void sendPing(ByteBuffer payload) { throw todo(); }
    @Override public void sendPong(ByteBuffer payload) { throw todo(); }
    @Override public void sendClose(int code, String reason) { throw todo(); }
    @Override public void fail(int code, String reason, Throwable cause) { throw todo(); }
}
