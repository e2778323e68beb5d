package ws.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import ws.protocol.engine.ClientProtocol;
import ws.protocol.handshake.HttpHeaders;
import ws.protocol.handshake.ServerHandshake;

/**
 * Writes the checked-in seed corpus of the fuzz targets: the examples of RFC 6455 (sections 1.3, 4,
 * 5.7) and RFC 7692 (section 7.2.3), and inputs after the conformance suite's case groups (framing,
 * fragmentation, control frames, close codes, UTF-8 from Markus Kuhn's stress test, compression).
 * Each becomes a regression test in {@code ./mvnw verify}. Run it again after changing a target's
 * input layout: {@code bench/fuzz --seeds}.
 */
final class SeedCorpus {
    private static final HexFormat HEX = HexFormat.of();
    private static final int KEY = 0x37fa213d; // the masking key of RFC 6455 section 5.7

    private SeedCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources").resolve("ws/fuzz");
        frames(root.resolve("FrameFuzzTestInputs/frames"));
        inflate(root.resolve("InflateFuzzTestInputs/inflate"));
        handshakes(root.resolve("HandshakeFuzzTestInputs"));
        extensions(root.resolve("ExtensionHeaderFuzzTestInputs/extensions"));
        utf8(root.resolve("Utf8FuzzTestInputs/utf8"));
        events(root.resolve("EventsWireFuzzTestInputs"));
    }

    /**
     * ws.events' wire: the examples of the engine.io-protocol and socket.io-protocol documents (packet
     * encoding, the handshake, the upgrade probe, the long-polling payload), binary attachments, and
     * the errors they name (a reserved event name, a text packet where an attachment is due).
     */
    private static void events(Path dir) throws IOException {
        Path engine = dir.resolve("enginePacket");
        write(engine, "open", utf8("0{\"sid\":\"lv_VI97HAXpY6yYWAAAC\",\"upgrades\":[\"websocket\"],"
                + "\"pingInterval\":25000,\"pingTimeout\":20000,\"maxPayload\":1000000}"));
        String[][] packets = {{"close", "1"}, {"ping", "2"}, {"pong", "3"}, {"probe", "2probe"}, {"probe-answer", "3probe"},
            {"message", "4hello"}, {"empty-message", "4"}, {"upgrade", "5"}, {"noop", "6"}, {"socket-io-event", "42[\"a\",1]"},
            {"bad-type", "7"}, {"binary-mark", "bAQID"}};
        for (String[] packet : packets) {
            write(engine, packet[0], utf8(packet[1]));
        }
        Path payload = dir.resolve("pollingPayload");
        write(payload, "spec-example", concat(new byte[] {3}, utf8("4hello\u001e4\u20ac\u001ebAQIDBA==")));
        write(payload, "ping-pong", concat(new byte[] {1}, utf8("2\u001e3")));
        write(payload, "socket-io", concat(new byte[] {4}, utf8("40\u001e42[\"chat\",\"hi\"]\u001e41")));
        write(payload, "empty-record", concat(new byte[] {4}, utf8("4a\u001e\u001e4b")));
        write(payload, "too-many", concat(new byte[] {0}, utf8("6\u001e6")));
        write(payload, "bad-base64", concat(new byte[] {2}, utf8("b@@@")));
        Path socket = dir.resolve("socketPacket");
        write(socket, "connect", EventsWireFuzzTest.records("0", "0{\"token\":\"123\"}", "0/admin,{\"token\":\"123\"}"));
        write(socket, "disconnect", EventsWireFuzzTest.records("1", "1/admin,"));
        write(socket, "event", EventsWireFuzzTest.records("2[\"hello\",1]", "2/admin,456[\"project:delete\",123]"));
        write(socket, "ack", EventsWireFuzzTest.records("3/admin,456[]", "3789[{\"ok\":true}]"));
        write(socket, "connect-error", EventsWireFuzzTest.records("4{\"message\":\"Not authorized\"}", "4\"refused\""));
        write(socket, "binary-event", EventsWireFuzzTest.records(
                "51-[\"hello\",{\"_placeholder\":true,\"num\":0}]", new byte[] {1, 2, 3}));
        write(socket, "binary-ack", EventsWireFuzzTest.records(
                "62-/admin,456[{\"_placeholder\":true,\"num\":1},{\"a\":{\"_placeholder\":true,\"num\":0}}]",
                new byte[] {4}, new byte[] {5, 6}));
        write(socket, "reserved-name", EventsWireFuzzTest.records("2[\"connect\"]", "2[\"x\"]"));
        write(socket, "text-while-waiting", EventsWireFuzzTest.records("51-[\"a\",{\"_placeholder\":true,\"num\":0}]",
                "2[\"x\"]", new byte[] {1}));
        write(socket, "placeholder-out-of-range", EventsWireFuzzTest.records(
                "51-[\"a\",{\"_placeholder\":true,\"num\":1}]", new byte[] {1}));
        write(socket, "deep", EventsWireFuzzTest.records("2[\"a\",[[[[[[[[[1]]]]]]]]]]"));
        write(socket, "numbers", EventsWireFuzzTest.records("2[\"n\",1e400,-0,12345678901234567890,0.1]"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Frames as a server sends them (unmasked); each seed goes to both roles, masked towards a server. */
    private static void frames(Path dir) throws IOException {
        List<String[]> frames = List.of(
                new String[] {"rfc6455-5.7-hello", "810548656c6c6f"},
                new String[] {"rfc6455-5.7-fragmented-hello", "010348656c80026c6f"},
                new String[] {"rfc6455-5.7-ping-pong", "890548656c6c6f8a0548656c6c6f"},
                new String[] {"rfc6455-5.7-256-bytes", "827e0100" + "ab".repeat(256)},
                new String[] {"rfc6455-5.7-64k-over-limit", "827f0000000000010000" + "cd".repeat(64)},
                new String[] {"close-1000-reason", "880603e8627965"},
                new String[] {"close-empty", "8800"},
                new String[] {"close-1-byte", "880103"},
                new String[] {"close-code-999", "880203e7"},
                new String[] {"ping-between-fragments", "0102686989026869800161"},
                new String[] {"continuation-without-start", "800161"},
                new String[] {"text-without-fin-twice", "010161010162"},
                new String[] {"reserved-opcode-3", "8300"},
                new String[] {"control-not-final", "0900"},
                new String[] {"control-126", "897e007e" + "00".repeat(126)},
                new String[] {"length-not-minimal", "817e000548656c6c6f"},
                new String[] {"rsv2", "a100"},
                new String[] {"utf8-kuhn-kosme", "810bcebae1bdb9cf83cebcceb5"},
                new String[] {"utf8-surrogate-split", "0102ceba8003eda080"},
                new String[] {"utf8-invalid-in-close", "88040fa0ceba"},
                new String[] {"rfc7692-7.2.3.1-hello", "c107f248cdc9c90700"},
                new String[] {"rfc7692-7.2.3.1-fragmented", "4103f248cd8004c9c90700"},
                new String[] {"rfc7692-7.2.3.2-shared-window", "c107f248cdc9c90700c105f200110000"},
                new String[] {"rfc7692-7.2.3.3-stored", "c10b000500faff48656c6c6f00"},
                new String[] {"rfc7692-7.2.3.4-bfinal", "c108f348cdc9c9070000"},
                new String[] {"rfc7692-7.2.3.5-two-blocks", "c10df248050000 00ffffcac9c90700".replace(" ", "")},
                new String[] {"deflate-bomb", "c2" + bombFrame()});
        for (String[] frame : frames) {
            byte[] server = HEX.parseHex(frame[1]);
            write(dir, frame[0] + "-to-client", concat(new byte[] {1}, server));
            write(dir, frame[0] + "-to-client-deflate", concat(new byte[] {3}, server));
            write(dir, frame[0] + "-to-server-deflate-bytewise", concat(new byte[] {2}, mask(server)));
            write(dir, frame[0] + "-to-server-in-7s", concat(new byte[] {(byte) (6 << 2)}, mask(server)));
        }
    }

    /** A binary frame's length and payload: 1 MiB of zeros deflated, far over the fuzz limit. */
    private static String bombFrame() {
        byte[] compressed = deflate(new byte[1 << 20]);
        return "7e" + String.format("%04x", compressed.length) + HEX.formatHex(compressed);
    }

    /** The frames of {@code server} masked with {@link #KEY}, as a client sends them. */
    static byte[] mask(byte[] server) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int at = 0;
        while (at < server.length) {
            int b1 = server[at + 1] & 0x7F;
            int header = 2 + (b1 == 126 ? 2 : b1 == 127 ? 8 : 0);
            long length = b1 < 126 ? b1 : 0;
            for (int i = 2; i < header; i++) {
                length = (length << 8) | (server[at + i] & 0xFF);
            }
            out.write(server[at]);
            out.write(server[at + 1] | 0x80);
            out.write(server, at + 2, header - 2);
            for (int i = 3; i >= 0; i--) {
                out.write(KEY >>> (8 * i));
            }
            int end = (int) Math.min(server.length, at + header + length);
            for (int i = at + header; i < end; i++) {
                out.write(server[i] ^ (KEY >>> (8 * (3 - (i - at - header) % 4))));
            }
            at = end;
        }
        return out.toByteArray();
    }

    private static void inflate(Path dir) throws IOException {
        byte[] hello = HEX.parseHex("f248cdc90700");
        byte[] json = deflate("{\"type\":\"chat\",\"text\":\"hello\",\"seq\":1}".repeat(20).getBytes(StandardCharsets.UTF_8));
        byte[] big = deflate(new byte[20_000]);
        write(dir, "rfc7692-hello-twice", inflateSeed(0, HEX.parseHex("f248cdc9c90700"), HEX.parseHex("f200110000")));
        write(dir, "rfc7692-stored-then-bfinal", inflateSeed(0x5, HEX.parseHex("000500faff48656c6c6f00"), HEX.parseHex("f348cdc9c9070000")));
        write(dir, "json-in-three-frames", inflateSeed(0x6, json, json));
        write(dir, "over-the-limit", inflateSeed(0, big, hello));
        write(dir, "corrupt", inflateSeed(0, HEX.parseHex("ffffffff"), hello));
    }

    private static byte[] inflateSeed(int frameCounts, byte[] first, byte[] second) {
        return concat(new byte[] {(byte) frameCounts, (byte) (first.length >>> 8), (byte) first.length}, first, second);
    }

    /** Raw deflate with a sync flush, its 00 00 ff ff tail removed (RFC 7692 section 7.2.1). */
    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        byte[] out = new byte[data.length + 64];
        int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
        deflater.end();
        byte[] trimmed = new byte[n - 4];
        System.arraycopy(out, 0, trimmed, 0, trimmed.length);
        return trimmed;
    }

    private static void handshakes(Path dir) throws IOException {
        String rfc = "GET /chat HTTP/1.1\r\nHost: server.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nOrigin: http://example.com\r\n"
                + "Sec-WebSocket-Protocol: chat, superchat\r\nSec-WebSocket-Version: 13\r\n\r\n";
        Path requests = dir.resolve("request");
        write(requests, "rfc6455-1.3", head(63, rfc));
        write(requests, "rfc6455-1.3-bytewise", head(0, rfc));
        write(requests, "rfc7692-offer", head(63, rfc.replace("\r\n\r\n",
                "\r\nSec-WebSocket-Extensions: permessage-deflate; client_max_window_bits, permessage-deflate\r\n\r\n")));
        write(requests, "query-and-cookies", head(9, rfc.replace("/chat", "/chat?room=a%20b&x").replace("\r\n\r\n", "\r\nCookie: a=1; b=2\r\n\r\n")));
        write(requests, "version-8", head(63, rfc.replace("Version: 13", "Version: 8")));
        write(requests, "post", head(63, rfc.replace("GET", "POST")));
        write(requests, "http-1.0", head(63, rfc.replace("HTTP/1.1", "HTTP/1.0")));
        write(requests, "obs-fold", head(63, rfc.replace("\r\nOrigin", "\r\n Origin")));
        write(requests, "plain-http", head(63, "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n"));
        write(requests, "then-frames", head(63, rfc + "\u0081\u0085\u0037\u00fa\u0021\u003d\u007f\u009f\u004d\u0051\u0058"));

        ClientProtocol client = ClientProtocol.create(Peers.config(true), URI.create("ws://server.example.com/chat"),
                List.of("chat", "superchat"), HttpHeaders.empty());
        String key = client.request().headers().first("Sec-WebSocket-Key").orElseThrow();
        String accept = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerHandshake.acceptKey(key) + "\r\n";
        Path responses = dir.resolve("response");
        write(responses, "rfc6455-accept", head(63, accept + "\r\n"));
        write(responses, "rfc6455-accept-chat", head(5, accept + "Sec-WebSocket-Protocol: chat\r\n\r\n"));
        write(responses, "rfc7692-agreed", head(63, accept + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n"));
        write(responses, "rfc7692-agreed-then-frame", head(63, accept + "Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"
                + "\u00c1\u0007\u00f2\u0048\u00cd\u00c9\u00c9\u0007\u0000"));
        write(responses, "continue-then-accept", head(63, "HTTP/1.1 100 Continue\r\n\r\n" + accept + "\r\n"));
        write(responses, "wrong-accept", head(63, accept.replace(ServerHandshake.acceptKey(key), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") + "\r\n"));
        write(responses, "not-found", head(63, "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nno\n"));
        write(responses, "unknown-extension", head(63, accept + "Sec-WebSocket-Extensions: x-foo\r\n\r\n"));
    }

    private static byte[] head(int chunkBits, String text) {
        return concat(new byte[] {(byte) chunkBits}, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void extensions(Path dir) throws IOException {
        String[] values = {
                "permessage-deflate",
                "permessage-deflate; client_max_window_bits",
                "permessage-deflate; client_no_context_takeover; server_max_window_bits=10",
                "permessage-deflate; server_max_window_bits=\"10\", permessage-deflate",
                "permessage-deflate; client_max_window_bits=8; server_no_context_takeover",
                "foo, bar; baz=2\npermessage-deflate",
                "permessage-deflate; server_max_window_bits=16",
                "permessage-deflate; x=\"a\\\"b\"",
                " , permessage-deflate ;client_max_window_bits ,",
        };
        for (int i = 0; i < values.length; i++) {
            write(dir, "value-" + i, concat(new byte[] {(byte) i}, values[i].getBytes(StandardCharsets.ISO_8859_1)));
        }
    }

    /** After Markus Kuhn's UTF-8 decoder stress test (Autobahn cases 6.x). */
    private static void utf8(Path dir) throws IOException {
        String[][] texts = {
                {"kosme", "cebae1bdb9cf83cebcceb5"},
                {"ascii-then-4-byte", "48656c6c6f20f09f9880"},
                {"first-of-each-length", "00c280e0a080f0908080"},
                {"last-of-each-length", "7fdfbfefbfbff48fbfbf"},
                {"above-10ffff", "f4908080"},
                {"overlong-slash", "c0af"},
                {"overlong-3", "e080af"},
                {"surrogate-d800", "eda080"},
                {"lone-continuation", "80"},
                {"truncated-3", "e282"},
                {"fe-ff", "feff"},
                {"noncharacter-fffe", "efbfbe"},
        };
        for (String[] text : texts) {
            byte[] bytes = HEX.parseHex(text[1]);
            write(dir, text[0], concat(new byte[] {0, (byte) (bytes.length / 2)}, bytes));
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static void write(Path dir, String name, byte[] bytes) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), bytes);
    }
}
