package ws.conformance.cases;

import static ws.conformance.cases.Verdict.NON_STRICT;
import static ws.conformance.cases.Verdict.OK;
import static ws.conformance.wire.Frames.hex;
import static ws.conformance.wire.Frames.repeat;
import static ws.conformance.wire.Frames.utf8;
import static ws.conformance.wire.RawFrame.BINARY;
import static ws.conformance.wire.RawFrame.CLOSE;
import static ws.conformance.wire.RawFrame.CONTINUATION;
import static ws.conformance.wire.RawFrame.PING;
import static ws.conformance.wire.RawFrame.PONG;
import static ws.conformance.wire.RawFrame.TEXT;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import ws.conformance.wire.Frames;
import ws.conformance.wire.Pmd;
import ws.conformance.wire.Utf8;

/**
 * Every case, with the ids of the Autobahn testsuite (groups 1-7, 9, 10, 12, 13), reproduced from the
 * published case descriptions: what each case sends and what it expects. Cases marked {@code extra}
 * are ours (close codes Autobahn does not test).
 */
public final class Catalogue {
    private static final long NORMAL_LIMIT = 30_000;
    private static final long PERF_LIMIT = 240_000;

    private final List<ConformanceCase> cases = new ArrayList<>();

    private Catalogue() {
    }

    /** All cases, sorted by id. */
    public static List<ConformanceCase> all() {
        return all(0);
    }

    /**
     * The cases whose id matches one of {@code include} and none of {@code exclude}; patterns are ids
     * with {@code *} wildcards ("6.*", "9.1.*", "7.7.3").
     */
    public static List<ConformanceCase> select(List<String> include, List<String> exclude) {
        return select(include, exclude, 0);
    }

    private static Pattern pattern(String glob) {
        return Pattern.compile(glob.strip().replace(".", "\\.").replace("*", ".*"));
    }

    private void add(String id, String description, String expectation, ConformanceCase.Script script) {
        cases.add(new ConformanceCase(id, description, expectation, script, false, NORMAL_LIMIT));
    }

    private void addExtra(String id, String description, String expectation, ConformanceCase.Script script) {
        cases.add(new ConformanceCase(id, description, expectation, script, true, NORMAL_LIMIT));
    }

    private void addPerf(String id, String description, ConformanceCase.Script script) {
        cases.add(new ConformanceCase(id, description, "echoed exactly; clean close 1000 (time reported)", script,
                false, PERF_LIMIT));
    }

    /** How several frames go out: all in one write, one write per frame, or one write per octet. */
    enum Chops { ONE, FRAMES, OCTETS }

    private static void sendAll(CaseRun r, Chops chops, byte[]... frames) {
        switch (chops) {
            case ONE -> {
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (byte[] f : frames) {
                    all.writeBytes(f);
                }
                r.send(all.toByteArray(), 0, false);
            }
            case FRAMES -> {
                for (byte[] f : frames) {
                    r.send(f, 0, true);
                }
            }
            case OCTETS -> {
                for (byte[] f : frames) {
                    r.send(f, 1, true);
                }
            }
        }
    }

    private static String chopsText(Chops chops) {
        return switch (chops) {
            case ONE -> "all in one chop";
            case FRAMES -> "frame-wise chops";
            case OCTETS -> "octet-wise chops";
        };
    }

    // ------------------------------------------------------------------ 1 Framing

    private void framing() {
        int[] lengths = {0, 125, 126, 127, 128, 65535, 65536};
        for (int t = 0; t < 2; t++) {
            boolean binary = t == 1;
            int sub = binary ? 2 : 1;
            for (int i = 0; i < lengths.length; i++) {
                int len = lengths[i];
                byte[] payload = binary ? repeat(new byte[] {(byte) 0xFE}, len) : repeat(utf8("*"), len);
                add("1." + sub + "." + (i + 1), "Send " + (binary ? "binary" : "text") + " message with payload "
                        + "length " + len, "echoed exactly; clean close 1000", r -> {
                            r.expect(OK, binary ? Event.binary(payload) : Event.text(payload));
                            r.expectClose(true, true, 1000);
                            r.sendFrame(binary ? BINARY : TEXT, payload);
                            r.killAfter(len > 60000 ? 10_000 : 1000);
                        });
            }
            byte[] payload = binary ? repeat(new byte[] {(byte) 0xFE}, 65536) : repeat(utf8("*"), 65536);
            add("1." + sub + ".8", "Send " + (binary ? "binary" : "text") + " message with payload length 65536, "
                    + "sent in chops of 997 octets", "echoed exactly; clean close 1000", r -> {
                        r.expect(OK, binary ? Event.binary(payload) : Event.text(payload));
                        r.expectClose(true, true, 1000);
                        r.sendFrame(binary ? BINARY : TEXT, true, 0, payload, 997, false);
                        r.killAfter(10_000);
                    });
        }
    }

    // ------------------------------------------------------------------ 2 Pings/Pongs

    private void pingPong() {
        byte[][] payloads = {new byte[0], utf8("Hello, world!"), hex("00fffefdfcfb00ff"),
                repeat(new byte[] {(byte) 0xFE}, 125)};
        String[] what = {"no payload", "small text payload", "small binary payload", "binary payload of 125 octets"};
        for (int i = 0; i < payloads.length; i++) {
            byte[] p = payloads[i];
            add("2." + (i + 1), "Send ping with " + what[i], "pong with the same payload; clean close 1000", r -> {
                r.expect(OK, Event.pong(p));
                r.expectClose(true, true, 1000);
                r.sendFrame(PING, p);
                r.closeAfter(1000);
            });
        }
        byte[] p126 = repeat(new byte[] {(byte) 0xFE}, 126);
        add("2.5", "Send ping with binary payload of 126 octets",
                "the connection is failed: a control frame payload is at most 125 octets (close 1002 or TCP drop)", r -> {
                    r.expect(OK);
                    r.expectClose(false, false, 1002);
                    r.sendFrame(PING, p126);
                    r.killAfter(1000);
                });
        byte[] p125 = payloads[3];
        add("2.6", "Send ping with binary payload of 125 octets, in octet-wise chops",
                "pong with the same payload; clean close 1000", r -> {
                    r.expect(OK, Event.pong(p125));
                    r.expectClose(true, true, 1000);
                    r.sendFrame(PING, true, 0, p125, 1, true);
                    r.closeAfter(2000);
                });
        add("2.7", "Send unsolicited pong without payload", "nothing in return; clean close 1000", r -> {
            r.expect(OK);
            r.expectClose(true, true, 1000);
            r.sendFrame(PONG, new byte[0]);
            r.closeAfter(1000);
        });
        add("2.8", "Send unsolicited pong with payload", "nothing in return; clean close 1000", r -> {
            r.expect(OK);
            r.expectClose(true, true, 1000);
            r.sendFrame(PONG, "unsolicited pong payload");
            r.closeAfter(1000);
        });
        add("2.9", "Send unsolicited pong with payload, then ping with payload",
                "a pong for the ping only; clean close 1000", r -> {
                    r.expect(OK, Event.pong("ping payload"));
                    r.expectClose(true, true, 1000);
                    r.sendFrame(PONG, "unsolicited pong payload");
                    r.sendFrame(PING, "ping payload");
                    r.closeAfter(1000);
                });
        for (int k = 0; k < 2; k++) {
            boolean chopped = k == 1;
            add(chopped ? "2.11" : "2.10", "Send 10 pings with payload" + (chopped ? ", in octet-wise chops" : ""),
                    "10 pongs with the same payloads, in order; clean close 1000", r -> {
                        List<Event> pongs = new ArrayList<>();
                        for (int i = 0; i < 10; i++) {
                            pongs.add(Event.pong("payload-" + i));
                        }
                        r.expect(OK, pongs);
                        r.expectClose(true, true, 1000);
                        for (int i = 0; i < 10; i++) {
                            r.sendFrame(PING, true, 0, utf8("payload-" + i), chopped ? 1 : 0, chopped);
                        }
                        r.closeAfter(3000);
                    });
        }
    }

    // ------------------------------------------------------------------ 3 Reserved bits

    private void reservedBits() {
        byte[] hello = utf8("Hello, world!");
        add("3.1", "Send small text message with RSV = 1", "the connection is failed: close 1002 or TCP drop", r -> {
            r.expect(OK);
            r.expectClose(false, false, 1002);
            r.sendFrame(TEXT, true, 1, hello, 0, false);
            r.killAfter(1000);
        });
        int[] rsvs = {2, 3, 4};
        String[] how = {"", ", one frame at a time", ", in octet-wise chops"};
        for (int i = 0; i < 3; i++) {
            int rsv = rsvs[i];
            int mode = i;
            add("3." + (i + 2), "Send small text message, then again with RSV = " + rsv + ", then ping" + how[i],
                    "the first message is echoed, then the connection is failed (1002 or drop); no pong", r -> {
                        r.expect(OK, Event.text(hello));
                        r.expect(NON_STRICT);
                        r.expectClose(false, false, 1002);
                        int chop = mode == 2 ? 1 : 0;
                        boolean sync = mode > 0;
                        r.sendFrame(TEXT, true, 0, hello, chop, sync);
                        r.sendFrame(TEXT, true, rsv, hello, chop, sync);
                        r.sendFrame(PING, true, 0, new byte[0], chop, sync);
                        r.killAfter(1000);
                    });
        }
        add("3.5", "Send small binary message with RSV = 5", "the connection is failed: close 1002 or TCP drop", r -> {
            r.expect(OK);
            r.expectClose(false, false, 1002);
            r.sendFrame(BINARY, true, 5, hex("00fffefdfcfb00ff"), 0, false);
            r.killAfter(1000);
        });
        add("3.6", "Send ping with RSV = 6", "the connection is failed: close 1002 or TCP drop; no pong", r -> {
            r.expect(OK);
            r.expectClose(false, false, 1002);
            r.sendFrame(PING, true, 6, hello, 0, false);
            r.killAfter(1000);
        });
        add("3.7", "Send close with RSV = 7", "the connection is failed: close 1002 or TCP drop", r -> {
            r.expect(OK);
            r.expectClose(false, false, 1002);
            r.sendFrame(CLOSE, true, 7, Frames.closePayload(1000, new byte[0]), 0, false);
            r.killAfter(1000);
        });
    }

    // ------------------------------------------------------------------ 4 Opcodes

    private void opcodes() {
        int[][] groups = {{3, 4, 5, 6, 7}, {11, 12, 13, 14, 15}};
        byte[] hello = utf8("Hello, world!");
        byte[] reserved = utf8("reserved opcode payload");
        for (int g = 0; g < 2; g++) {
            for (int i = 0; i < 5; i++) {
                int opcode = groups[g][i];
                String kind = g == 0 ? "non-control" : "control";
                String id = "4." + (g + 1) + "." + (i + 1);
                if (i < 2) {
                    byte[] payload = i == 0 ? new byte[0] : reserved;
                    add(id, "Send frame with reserved " + kind + " opcode " + opcode + (i == 0 ? "" : " and payload"),
                            "the connection is failed: close 1002 or TCP drop", r -> {
                                r.expect(OK);
                                r.expectClose(false, false, 1002);
                                r.sendFrame(opcode, payload);
                                r.killAfter(1000);
                            });
                } else {
                    byte[] payload = i == 2 ? new byte[0] : reserved;
                    boolean chopped = i == 4;
                    add(id, "Send small text message, then frame with reserved " + kind + " opcode " + opcode
                            + (i == 2 ? "" : " and payload") + ", then ping" + (chopped ? ", in octet-wise chops" : ""),
                            "the message is echoed, then the connection is failed (1002 or drop); no pong", r -> {
                                r.expect(OK, Event.text(hello));
                                r.expect(NON_STRICT);
                                r.expectClose(false, false, 1002);
                                int chop = chopped ? 1 : 0;
                                r.sendFrame(TEXT, true, 0, hello, chop, chopped);
                                r.sendFrame(opcode, true, 0, payload, chop, chopped);
                                r.sendFrame(PING, true, 0, new byte[0], chop, chopped);
                                r.killAfter(1000);
                            });
                }
            }
        }
    }

    // ------------------------------------------------------------------ 5 Fragmentation

    private void fragmentation() {
        byte[] f1 = utf8("fragment1");
        byte[] f2 = utf8("fragment2");
        add("5.1", "Send ping fragmented into 2 fragments", "the connection is failed: close 1002 or TCP drop", r -> {
            r.expect(OK);
            r.expectClose(false, false, 1002);
            sendAll(r, Chops.ONE, r.encodeFrame(PING, false, f1), r.encodeFrame(CONTINUATION, true, f2));
            r.killAfter(1000);
        });
        add("5.2", "Send pong fragmented into 2 fragments", "the connection is failed: close 1002 or TCP drop", r -> {
            r.expect(OK);
            r.expectClose(false, false, 1002);
            sendAll(r, Chops.ONE, r.encodeFrame(PONG, false, f1), r.encodeFrame(CONTINUATION, true, f2));
            r.killAfter(1000);
        });
        Chops[] modes = Chops.values();
        for (int i = 0; i < 3; i++) {
            Chops chops = modes[i];
            add("5." + (3 + i), "Send text message fragmented into 2 fragments, " + chopsText(chops),
                    "the message is echoed whole; clean close 1000", r -> {
                        r.expect(OK, Event.text("fragment1fragment2"));
                        r.expectClose(true, true, 1000);
                        sendAll(r, chops, r.encodeFrame(TEXT, false, f1), r.encodeFrame(CONTINUATION, true, f2));
                        r.killAfter(1000);
                    });
        }
        for (int i = 0; i < 3; i++) {
            Chops chops = modes[i];
            add("5." + (6 + i), "Send text message fragmented into 2 fragments with a ping in between, "
                    + chopsText(chops), "the pong first, then the message whole; clean close 1000", r -> {
                        r.expect(OK, Event.pong("ping payload"), Event.text("fragment1fragment2"));
                        r.expectClose(true, true, 1000);
                        sendAll(r, chops, r.encodeFrame(TEXT, false, f1), r.encodeFrame(PING, true, utf8("ping payload")),
                                r.encodeFrame(CONTINUATION, true, f2));
                        r.killAfter(1000);
                    });
        }
        for (int fin = 0; fin < 2; fin++) {
            boolean finBit = fin == 0;
            for (int i = 0; i < 3; i++) {
                Chops chops = modes[i];
                add("5." + (9 + fin * 3 + i), "Send continuation frame with FIN = " + finBit
                        + " where there is nothing to continue, then an unfragmented text message, " + chopsText(chops),
                        "the connection is failed: close 1002 or TCP drop", r -> {
                            r.expect(OK);
                            r.expectClose(false, false, 1002);
                            sendAll(r, chops, r.encodeFrame(CONTINUATION, finBit, utf8("non-continuation payload")),
                                    r.encodeFrame(TEXT, true, utf8("Hello, world!")));
                            r.killAfter(1000);
                        });
            }
        }
        add("5.15", "Send text message fragmented into 2 fragments, then continuation frame with FIN = false where "
                + "there is nothing to continue, then unfragmented text message, all in one chop",
                "the first message is echoed, then the connection is failed (1002 or drop)", r -> {
                    r.expect(OK, Event.text("fragment1fragment2"));
                    r.expect(NON_STRICT);
                    r.expectClose(false, false, 1002);
                    sendAll(r, Chops.ONE, r.encodeFrame(TEXT, false, f1), r.encodeFrame(CONTINUATION, true, f2),
                            r.encodeFrame(CONTINUATION, false, utf8("fragment3")), r.encodeFrame(TEXT, true, utf8("fragment4")));
                    r.killAfter(1000);
                });
        for (int k = 0; k < 2; k++) {
            boolean firstFin = k == 1;
            add("5." + (16 + k), "Repeated 2x: continuation frame with FIN = " + firstFin
                    + " (nothing to continue), then text message fragmented into 2 fragments",
                    "the connection is failed: close 1002 or TCP drop", r -> {
                        r.expect(OK);
                        r.expectClose(false, false, 1002);
                        byte[] a = r.encodeFrame(CONTINUATION, firstFin, f1);
                        byte[] b = r.encodeFrame(TEXT, false, f2);
                        byte[] c = r.encodeFrame(CONTINUATION, true, utf8("fragment3"));
                        sendAll(r, Chops.ONE, a, b, c, r.encodeFrame(CONTINUATION, firstFin, f1),
                                r.encodeFrame(TEXT, false, f2), r.encodeFrame(CONTINUATION, true, utf8("fragment3")));
                        r.killAfter(1000);
                    });
        }
        add("5.18", "Send text message fragmented into 2 fragments, with both frame opcodes set to text",
                "the connection is failed: close 1002 or TCP drop", r -> {
                    r.expect(OK);
                    r.expectClose(false, false, 1002);
                    sendAll(r, Chops.ONE, r.encodeFrame(TEXT, false, f1), r.encodeFrame(TEXT, true, f2));
                    r.killAfter(1000);
                });
        for (int k = 0; k < 2; k++) {
            boolean sync = k == 1;
            add("5." + (19 + k), "A text message in 5 fragments with pings after the 2nd and 4th; a 1 s wait after the "
                    + "first ping" + (sync ? ", frame-wise chops" : ""),
                    "each pong at once (the first before the message ends), then the message whole; clean close 1000",
                    r -> {
                        String[] frags = {"fragment1", "fragment2", "fragment3", "fragment4", "fragment5"};
                        r.expect(OK, Event.pong("pongme 1!"), Event.pong("pongme 2!"),
                                Event.text(String.join("", frags)));
                        r.expectClose(true, true, 1000);
                        r.sendFrame(TEXT, false, 0, utf8(frags[0]), 0, sync);
                        r.sendFrame(CONTINUATION, false, 0, utf8(frags[1]), 0, sync);
                        r.sendFrame(PING, true, 0, utf8("pongme 1!"), 0, sync);
                        if (!r.sleep(1000)) {
                            return;
                        }
                        r.sendFrame(CONTINUATION, false, 0, utf8(frags[2]), 0, sync);
                        r.sendFrame(CONTINUATION, false, 0, utf8(frags[3]), 0, sync);
                        r.sendFrame(PING, true, 0, utf8("pongme 2!"), 0, sync);
                        r.sendFrame(CONTINUATION, true, 0, utf8(frags[4]), 0, sync);
                        r.closeAfter(1000);
                    });
        }
    }

    // ------------------------------------------------------------------ 6 UTF-8

    private void utf8Handling() {
        add("6.1.1", "Send text message of length 0", "echoed; clean close 1000", r -> {
            r.expect(OK, Event.text(""));
            r.expectClose(true, true, 1000);
            r.sendFrame(TEXT, new byte[0]);
            r.killAfter(1000);
        });
        add("6.1.2", "Send fragmented text message, 3 fragments each of length 0", "an empty message; clean close 1000",
                r -> {
                    r.expect(OK, Event.text(""));
                    r.expectClose(true, true, 1000);
                    sendAll(r, Chops.ONE, r.encodeFrame(TEXT, false, new byte[0]),
                            r.encodeFrame(CONTINUATION, false, new byte[0]), r.encodeFrame(CONTINUATION, true, new byte[0]));
                    r.killAfter(1000);
                });
        add("6.1.3", "Send fragmented text message, 3 fragments, first and last of length 0, middle non-empty",
                "the middle payload as one message; clean close 1000", r -> {
                    r.expect(OK, Event.text("middle frame payload"));
                    r.expectClose(true, true, 1000);
                    sendAll(r, Chops.ONE, r.encodeFrame(TEXT, false, new byte[0]),
                            r.encodeFrame(CONTINUATION, false, utf8("middle frame payload")),
                            r.encodeFrame(CONTINUATION, true, new byte[0]));
                    r.killAfter(1000);
                });
        byte[] hello = utf8("Hello-\u00b5@\u00df\u00f6\u00e4\u00fc\u00e0\u00e1-UTF-8!!");
        byte[] kosme = hex("cebae1bdb9cf83cebcceb5");
        add("6.2.1", "Send a valid UTF-8 text message in one fragment", "echoed; clean close 1000", r -> {
            r.expect(OK, Event.text(hello));
            r.expectClose(true, true, 1000);
            r.sendFrame(TEXT, hello);
            r.killAfter(1000);
        });
        add("6.2.2", "Send a valid UTF-8 text message in two fragments, split on a code point boundary",
                "echoed whole; clean close 1000", r -> {
                    int split = utf8("Hello-\u00b5@\u00df\u00f6\u00e4").length;
                    r.expect(OK, Event.text(hello));
                    r.expectClose(true, true, 1000);
                    sendAll(r, Chops.ONE, r.encodeFrame(TEXT, false, Arrays.copyOfRange(hello, 0, split)),
                            r.encodeFrame(CONTINUATION, true, Arrays.copyOfRange(hello, split, hello.length)));
                    r.killAfter(1000);
                });
        add("6.2.3", "Send a valid UTF-8 text message in fragments of 1 octet (splitting code points)",
                "echoed whole; clean close 1000", r -> octetFrames(r, hello, true));
        add("6.2.4", "Send a valid UTF-8 text message (\u03ba\u1f79\u03c3\u03bc\u03b5) in fragments of 1 octet",
                "echoed whole; clean close 1000", r -> octetFrames(r, kosme, true));
        byte[] invalid = hex("cebae1bdb9cf83cebcceb5eda080656469746564");
        add("6.3.1", "Send invalid UTF-8 text message unfragmented (a surrogate ED A0 80 inside)",
                "the connection is failed: close 1007 or TCP drop", r -> {
                    r.expect(OK);
                    r.expectClose(false, false, 1007);
                    r.sendFrame(TEXT, invalid);
                    r.killAfter(1000);
                });
        add("6.3.2", "Send invalid UTF-8 text message in fragments of 1 octet",
                "the connection is failed: close 1007 or TCP drop", r -> octetFrames(r, invalid, false));
        failFast();
        int sub = 5;
        for (Utf8Sequences.Group group : Utf8Sequences.groups()) {
            int n = 1;
            for (Utf8Sequences.Sequence s : group.sequences()) {
                byte[] payload = s.bytes();
                boolean valid = s.valid();
                if (valid != Utf8.isValid(payload)) {
                    throw new IllegalStateException("UTF-8 table and validator disagree on " + Arrays.toString(payload));
                }
                add("6." + sub + "." + n, "Send a text message with " + (valid ? "valid" : "invalid") + " UTF-8 in "
                        + "one fragment (" + group.name() + "): 0x" + java.util.HexFormat.of().formatHex(payload),
                        valid ? "echoed; clean close 1000" : "the connection is failed at once: close 1007 or TCP drop",
                        r -> {
                            if (valid) {
                                r.expect(OK, Event.text(payload));
                                r.expectClose(true, true, 1000);
                            } else {
                                r.expect(OK);
                                r.expectClose(false, false, 1007);
                            }
                            r.sendFrame(TEXT, payload);
                            r.killAfter(500);
                        });
                if (payload.length > 1) {
                    // Ours: the same sequence split at every position at once (one frame per octet), so
                    // validation must carry its state across frame boundaries.
                    addExtra("6." + (100 + sub) + "." + n, "Send the payload of case 6." + sub + "." + n
                            + " as a text message of one-octet frames: 0x" + java.util.HexFormat.of().formatHex(payload),
                            valid ? "echoed whole; clean close 1000" : "the connection is failed: close 1007 or TCP drop",
                            r -> octetFrames(r, payload, valid));
                }
                n++;
            }
            sub++;
        }
    }

    private static void octetFrames(CaseRun r, byte[] payload, boolean valid) {
        if (valid) {
            r.expect(OK, Event.text(payload));
            r.expectClose(true, true, 1000);
        } else {
            r.expect(OK);
            r.expectClose(false, false, 1007);
        }
        byte[][] frames = new byte[payload.length][];
        for (int i = 0; i < payload.length; i++) {
            frames[i] = r.encodeFrame(i == 0 ? TEXT : CONTINUATION, i == payload.length - 1,
                    new byte[] {payload[i]});
        }
        sendAll(r, Chops.ONE, frames);
        r.killAfter(1000);
    }

    private void failFast() {
        byte[] p1 = hex("cebae1bdb9cf83cebcceb5");
        byte[] p2 = hex("f4908080");
        byte[] p3 = hex("656469746564");
        byte[] whole = concat(p1, p2, p3);
        String expectation = "the first part is accepted (still open after the 1 s wait); the connection is failed "
                + "(1007) on the part that makes it invalid (OK), or at the latest at the message end (NON-STRICT)";
        for (int k = 0; k < 2; k++) {
            boolean framed = k == 0;
            add("6.4." + (framed ? 1 : 3), "Send invalid UTF-8 text message in 3 " + (framed ? "frames" : "chops of "
                    + "one frame") + ": valid, then a part with a code point above U+10FFFF, then the rest; 1 s "
                    + "waits between", expectation, r -> threeParts(r, framed, p1, p2, p3, whole));
            add("6.4." + (framed ? 2 : 4), "Same as 6.4." + (framed ? 1 : 3) + ", but the 2nd part is just the "
                    + "octet that makes the payload invalid", expectation,
                    r -> threeParts(r, framed, Arrays.copyOfRange(whole, 0, 12), Arrays.copyOfRange(whole, 12, 13),
                            Arrays.copyOfRange(whole, 13, whole.length), whole));
        }
    }

    private static void threeParts(CaseRun r, boolean framed, byte[] a, byte[] b, byte[] c, byte[] whole)
            throws InterruptedException {
        r.expect(OK, Event.timeout("A"));
        r.expect(NON_STRICT, Event.timeout("A"), Event.timeout("B"));
        r.expectClose(false, false, 1007);
        byte[] frameBytes = framed ? null : r.encodeFrame(TEXT, true, whole);
        int headerLength = framed ? 0 : frameBytes.length - whole.length;
        if (framed) {
            r.sendFrame(TEXT, false, a);
        } else {
            r.send(Arrays.copyOfRange(frameBytes, 0, headerLength + a.length), 0, false);
        }
        if (!r.sleep(1000)) {
            return;
        }
        r.mark("A");
        if (framed) {
            r.sendFrame(CONTINUATION, false, b);
        } else {
            r.send(Arrays.copyOfRange(frameBytes, headerLength + a.length, headerLength + a.length + b.length), 0, false);
        }
        if (!r.sleep(1000)) {
            return;
        }
        r.mark("B");
        if (framed) {
            r.sendFrame(CONTINUATION, true, c);
        } else {
            r.send(Arrays.copyOfRange(frameBytes, headerLength + a.length + b.length, frameBytes.length), 0, false);
        }
        r.killAfter(1000);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ 7 Close handling

    private void close() {
        byte[] hello = utf8("Hello World!");
        // Autobahn's 7.1.1 sends the message and closes once the echo came (its immediate close is
        // commented out); 7.15.1, ours, sends both back to back, as the description says.
        add("7.1.1", "Send a message followed by a close frame (after the echo)",
                "the message is echoed; clean close 1000", r -> {
                    r.expect(OK, Event.text(hello));
                    r.expectClose(true, true, 1000);
                    r.sendFrame(TEXT, hello);
                    r.killAfter(1000);
                });
        addExtra("7.15.1", "Send a message and a close frame back to back (often one TCP segment)",
                "the message is echoed before the close reply (RFC 6455 5.5.1: data may follow a received close "
                        + "until the reply); clean close 1000", r -> {
                    r.expect(OK, Event.text(hello));
                    r.expectClose(true, true, 1000);
                    r.sendCloseFrame(Frames.closePayload(1000, new byte[0]), r.encodeFrame(TEXT, true, hello));
                    r.killAfter(1000);
                });
        add("7.1.2", "Send two close frames", "clean close 1000", r -> {
            r.suppressClose();
            r.expect(OK);
            r.expectClose(true, true, 1000);
            r.sendClose(1000);
            r.sendCloseFrame(Frames.closePayload(1000, new byte[0]));
            r.killAfter(1000);
        });
        add("7.1.3", "Send a ping after a close frame", "no pong; clean close 1000", r -> {
            r.suppressClose();
            r.expect(OK);
            r.expectClose(true, true, 1000);
            r.sendClose(1000);
            r.sendFrame(PING, hello);
            r.killAfter(1000);
        });
        add("7.1.4", "Send a text message after a close frame", "not echoed; clean close 1000", r -> {
            r.suppressClose();
            r.expect(OK);
            r.expectClose(true, true, 1000);
            r.sendClose(1000);
            r.sendFrame(TEXT, hello);
            r.killAfter(1000);
        });
        add("7.1.5", "Send message fragment 1, then a close frame, then fragment 2", "clean close 1000", r -> {
            r.suppressClose();
            r.expect(OK);
            r.expectClose(true, true, 1000);
            r.sendFrame(TEXT, false, utf8("fragment1"));
            r.sendClose(1000);
            r.sendFrame(CONTINUATION, true, utf8("fragment2"));
            r.killAfter(1000);
        });
        add("7.1.6", "Send a 256K message, then a small message, then close, then ping, back to back",
                "implementation defined (informational): whether the messages come back before the close", r -> {
                    r.suppressClose();
                    r.informational("messages answered before the close, or not");
                    r.expect(OK, Event.text(repeat(utf8("BAsd7&jh23"), 256 << 10)), Event.text(hello));
                    r.expect(NON_STRICT);
                    r.expectClose(true, true, 1000);
                    sendAll(r, Chops.ONE, r.encodeFrame(TEXT, true, repeat(utf8("BAsd7&jh23"), 256 << 10)),
                            r.encodeFrame(TEXT, true, hello));
                    r.sendClose(1000);
                    r.sendFrame(PING, new byte[0]);
                    r.killAfter(1000);
                });
        add("7.3.1", "Send a close frame with payload length 0 (no code, no reason)",
                "clean close (1000 or an empty close frame)", r -> {
                    r.suppressClose();
                    r.expect(OK);
                    r.expectClose(true, true, 1000);
                    r.sendCloseFrame(new byte[0]);
                    r.killAfter(1000);
                });
        add("7.3.2", "Send a close frame with payload length 1", "close 1002 or TCP drop", r -> {
            r.suppressClose();
            r.expect(OK);
            r.expectClose(true, false, 1002);
            r.sendCloseFrame(new byte[] {0x03});
            r.killAfter(1000);
        });
        add("7.3.3", "Send a close frame with code 1000 and no reason", "clean close 1000", r -> closeWith(r,
                Frames.closePayload(1000, new byte[0]), true, 1000));
        add("7.3.4", "Send a close frame with code 1000 and reason \"Hello World!\"", "clean close 1000",
                r -> closeWith(r, Frames.closePayload(1000, hello), true, 1000));
        add("7.3.5", "Send a close frame with code 1000 and a reason of 123 octets (the most that fits)",
                "clean close 1000", r -> closeWith(r, Frames.closePayload(1000, repeat(utf8("*"), 123)), true, 1000));
        add("7.3.6", "Send a close frame with code 1000 and a reason of 124 octets (control payload 126 > 125)",
                "close 1002 or TCP drop", r -> closeWith(r, Frames.closePayload(1000, repeat(utf8("*"), 124)), false,
                        1002));
        add("7.5.1", "Send a close frame with code 1000 and an invalid UTF-8 reason",
                "close 1007 or TCP drop", r -> closeWith(r, Frames.closePayload(1000,
                        hex("cebae1bdb9cf83cebcceb5eda080656469746564")), false, 1007));
        int[] valid = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999};
        for (int i = 0; i < valid.length; i++) {
            int code = valid[i];
            add("7.7." + (i + 1), "Send close with valid close code " + code, "clean close with 1000 or " + code,
                    r -> closeWith(r, Frames.closePayload(code, new byte[0]), true, 1000, code));
        }
        int[] invalid = {0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999};
        for (int i = 0; i < invalid.length; i++) {
            int code = invalid[i];
            add("7.9." + (i + 1), "Send close with invalid close code " + code, "close 1002 or TCP drop",
                    r -> closeWith(r, Frames.closePayload(code, new byte[0]), false, 1002));
        }
        add("7.13.1", "Send close with close code 5000", "undefined by the specification (informational)",
                r -> closeInformational(r, 5000));
        add("7.13.2", "Send close with close code 65535", "undefined by the specification (informational)",
                r -> closeInformational(r, 65535));
        // Codes the IANA registry assigns after RFC 6455 (1012 Service Restart, 1013 Try Again Later,
        // 1014 Bad Gateway) are valid on the wire; 1015 (TLS handshake) never is. Autobahn's current
        // lists test none of them.
        int[] registered = {1012, 1013, 1014};
        for (int i = 0; i < registered.length; i++) {
            int code = registered[i];
            addExtra("7.14." + (i + 1), "Send close with close code " + code + " (IANA registry, valid)",
                    "clean close with 1000 or " + code, r -> closeWith(r, Frames.closePayload(code, new byte[0]), true,
                            1000, code));
        }
        addExtra("7.14.4", "Send close with close code 1015 (reserved: never on the wire)", "close 1002 or TCP drop",
                r -> closeWith(r, Frames.closePayload(1015, new byte[0]), false, 1002));
    }

    private static void closeWith(CaseRun r, byte[] payload, boolean clean, int... codes) {
        r.suppressClose();
        r.expect(OK);
        r.expectClose(true, clean, codes);
        r.sendCloseFrame(payload);
        r.killAfter(1000);
    }

    private static void closeInformational(CaseRun r, int code) {
        r.suppressClose();
        r.informational("close code " + code + " is undefined by the specification");
        r.expect(OK);
        r.expectClose(true, false, 1000, code, 1002);
        r.sendCloseFrame(Frames.closePayload(code, new byte[0]));
        r.killAfter(1000);
    }

    // ------------------------------------------------------------------ 9 Limits/Performance

    private void limits() {
        int[] sizes = {64 << 10, 256 << 10, 1 << 20, 4 << 20, 8 << 20, 16 << 20};
        for (int t = 0; t < 2; t++) {
            boolean binary = t == 1;
            for (int i = 0; i < sizes.length; i++) {
                int size = sizes[i];
                addPerf("9." + (1 + t) + "." + (i + 1), "Send " + (binary ? "binary" : "text") + " message of "
                        + human(size), r -> bigMessage(r, binary, size, size, 0));
            }
        }
        int[] fragmentSizes = {64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20, 4 << 20};
        for (int t = 0; t < 2; t++) {
            boolean binary = t == 1;
            for (int i = 0; i < fragmentSizes.length; i++) {
                int fragment = fragmentSizes[i];
                addPerf("9." + (3 + t) + "." + (i + 1), "Send fragmented " + (binary ? "binary" : "text") + " message "
                        + "of 4M in fragments of " + human(fragment), r -> bigMessage(r, binary, 4 << 20, fragment, 0));
            }
        }
        int[] chops = {64, 128, 256, 512, 1024, 2048};
        for (int t = 0; t < 2; t++) {
            boolean binary = t == 1;
            for (int i = 0; i < chops.length; i++) {
                int chop = chops[i];
                addPerf("9." + (5 + t) + "." + (i + 1), "Send " + (binary ? "binary" : "text") + " message of 1M "
                        + "in chops of " + chop + " octets", r -> bigMessage(r, binary, 1 << 20, 1 << 20, chop));
            }
        }
        int[] rttSizes = {0, 16, 64, 256, 1024, 4096};
        for (int t = 0; t < 2; t++) {
            boolean binary = t == 1;
            for (int i = 0; i < rttSizes.length; i++) {
                int size = rttSizes[i];
                addPerf("9." + (7 + t) + "." + (i + 1), "Send 1000 " + (binary ? "binary" : "text") + " messages of "
                        + size + " octets one after another (each after the echo of the last)",
                        r -> roundTrips(r, binary, size, 1000));
            }
        }
    }

    private static String human(int size) {
        if (size >= 1 << 20) {
            return (size >> 20) + "M";
        }
        if (size >= 1 << 10) {
            return (size >> 10) + "K";
        }
        return size + " octets";
    }

    private static byte[] bigPayload(boolean binary, int size) {
        if (!binary) {
            return repeat(utf8("BAsd7&jh23"), size);
        }
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = (byte) (i * 31 + (i >>> 8));
        }
        return out;
    }

    private static void bigMessage(CaseRun r, boolean binary, int size, int fragment, int chop) {
        byte[] payload = bigPayload(binary, size);
        r.expectClose(true, true, 1000);
        r.behavior(Verdict.FAILED, "no echo within the time limit");
        r.onMessage(e -> {
            if (e.binary() != binary) {
                r.behavior(Verdict.FAILED, "expected a " + (binary ? "binary" : "text") + " message, got the other");
            } else if (!Arrays.equals(e.data(), payload)) {
                r.behavior(Verdict.FAILED, "echoed payload differs: " + e.data().length + " bytes, expected " + size
                        + (e.data().length == size ? " (same length, different bytes at "
                        + Arrays.mismatch(e.data(), payload) + ")" : ""));
            } else {
                r.behavior(OK, "echoed exactly");
            }
            r.sendClose(1000);
        });
        int opcode = binary ? BINARY : TEXT;
        if (fragment >= size) {
            r.sendFrame(opcode, true, 0, payload, chop, false);
        } else {
            ByteArrayOutputStream all = new ByteArrayOutputStream(size + size / fragment * 14 + 14);
            for (int off = 0; off < size; off += fragment) {
                int end = Math.min(size, off + fragment);
                all.writeBytes(r.encodeFrame(off == 0 ? opcode : CONTINUATION, end == size,
                        Arrays.copyOfRange(payload, off, end)));
            }
            r.send(all.toByteArray(), 0, false);
        }
        r.killAfter(100_000);
    }

    private static void roundTrips(CaseRun r, boolean binary, int size, int count) {
        byte[] payload = binary ? repeat(new byte[] {(byte) 0xFE}, size) : repeat(utf8("*"), size);
        int opcode = binary ? BINARY : TEXT;
        AtomicInteger sent = new AtomicInteger(1);
        r.expectClose(true, true, 1000);
        r.behavior(Verdict.FAILED, "not all " + count + " echoes came within the time limit");
        r.onMessage(e -> {
            if (e.binary() != binary || !Arrays.equals(e.data(), payload)) {
                r.behavior(Verdict.FAILED, "echo " + sent.get() + " differs: " + e);
                r.sendClose(1000);
            } else if (sent.get() < count) {
                sent.incrementAndGet();
                r.sendFrameAsync(opcode, payload);
            } else {
                r.behavior(OK, "all " + count + " echoes received");
                r.sendClose(1000);
            }
        });
        r.sendFrame(opcode, payload);
        r.killAfter(100_000);
    }

    // ------------------------------------------------------------------ 10 Misc

    private void autoFragmentation() {
        byte[] payload = repeat(utf8("*"), 65536);
        add("10.1.1", "Send text message with payload of length 65536 in frames of 1300 octets (auto-fragmentation)",
                "echoed whole; clean close 1000", r -> {
                    r.expect(OK, Event.text(payload));
                    r.expectClose(true, true, 1000);
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    for (int off = 0; off < payload.length; off += 1300) {
                        int end = Math.min(payload.length, off + 1300);
                        all.writeBytes(r.encodeFrame(off == 0 ? TEXT : CONTINUATION, end == payload.length,
                                Arrays.copyOfRange(payload, off, end)));
                    }
                    r.send(all.toByteArray(), 0, false);
                    r.killAfter(10_000);
                });
    }

    // ------------------------------------------------------------------ 12, 13 WebSocket compression

    /**
     * Autobahn's (payload length, message count, case timeout in s, auto-fragment size) for every
     * subgroup of 12 and 13: 18 cases each.
     */
    private static final int[][] MSG_SIZES = {
        {16, 1000, 60, 0}, {64, 1000, 60, 0}, {256, 1000, 120, 0}, {1024, 1000, 240, 0}, {4096, 1000, 480, 0},
        {8192, 1000, 480, 0}, {16384, 1000, 480, 0}, {32768, 1000, 480, 0}, {65536, 1000, 480, 0},
        {131072, 1000, 480, 0},
        {8192, 1000, 480, 256}, {16384, 1000, 480, 256}, {32768, 1000, 480, 256}, {65536, 1000, 480, 256},
        {131072, 1000, 480, 256}, {131072, 1000, 480, 1024}, {131072, 1000, 480, 4096}, {131072, 1000, 480, 32768},
    };

    /** The client offer of Autobahn's default {@code PerMessageDeflateOffer()}. */
    private static final String DEFAULT_OFFER = "permessage-deflate; client_no_context_takeover; client_max_window_bits";

    /** Caps the message count of groups 12 and 13 (0: Autobahn's 1000); set by {@link #all(int)}. */
    private int messageCap;

    /**
     * All cases, with groups 12 and 13 sending at most {@code messageCap} messages per case instead
     * of 1000 (0: no cap), for quick runs.
     */
    public static List<ConformanceCase> all(int messageCap) {
        Catalogue c = new Catalogue();
        c.messageCap = messageCap;
        c.framing();
        c.pingPong();
        c.reservedBits();
        c.opcodes();
        c.fragmentation();
        c.utf8Handling();
        c.close();
        c.limits();
        c.autoFragmentation();
        c.compression();
        c.cases.sort(Comparator.comparing(ConformanceCase::idTuple, Arrays::compare));
        return List.copyOf(c.cases);
    }

    /** As {@link #select(List, List)}, with groups 12 and 13 capped at {@code messageCap} messages per case. */
    public static List<ConformanceCase> select(List<String> include, List<String> exclude, int messageCap) {
        List<Pattern> in = include.stream().map(Catalogue::pattern).toList();
        List<Pattern> ex = exclude.stream().map(Catalogue::pattern).toList();
        return all(messageCap).stream()
                .filter(c -> in.isEmpty() || in.stream().anyMatch(p -> p.matcher(c.id()).matches()))
                .filter(c -> ex.stream().noneMatch(p -> p.matcher(c.id()).matches()))
                .toList();
    }

    private void compression() {
        DeflateSpec plain = new DeflateSpec(List.of(DEFAULT_OFFER), "accept the first offer as it is",
                offers -> answer(offers, false, 0));
        for (CompressionData data : CompressionData.all()) {
            for (int i = 0; i < MSG_SIZES.length; i++) {
                addCompression(data.id() + "." + (i + 1), data, MSG_SIZES[i], plain, "Use default permessage-deflate offer.");
            }
        }
        CompressionData json = CompressionData.json();
        List<DeflateSpec> specs = List.of(
                new DeflateSpec(List.of(DEFAULT_OFFER), "server accept (requestNoContextTakeover, requestMaxWindowBits): "
                        + "[(False, 0)]", offers -> answer(offers, false, 0)),
                new DeflateSpec(List.of(DEFAULT_OFFER + "; server_no_context_takeover"),
                        "server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 0)]",
                        offers -> answer(offers, true, 0)),
                new DeflateSpec(List.of(DEFAULT_OFFER + "; server_max_window_bits=8"),
                        "server accept (requestNoContextTakeover, requestMaxWindowBits): [(False, 8)]",
                        offers -> answer(offers, false, 8)),
                new DeflateSpec(List.of(DEFAULT_OFFER + "; server_max_window_bits=15"),
                        "server accept (requestNoContextTakeover, requestMaxWindowBits): [(False, 15)]",
                        offers -> answer(offers, false, 15)),
                new DeflateSpec(List.of(DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=8"),
                        "server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 8)]",
                        offers -> answer(offers, true, 8)),
                new DeflateSpec(List.of(DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=15"),
                        "server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 15)]",
                        offers -> answer(offers, true, 15)),
                new DeflateSpec(List.of(DEFAULT_OFFER + "; server_no_context_takeover; server_max_window_bits=8",
                        DEFAULT_OFFER + "; server_no_context_takeover", DEFAULT_OFFER),
                        "server accept (requestNoContextTakeover, requestMaxWindowBits): [(True, 8), (True, 0), "
                                + "(False, 0)]",
                        offers -> {
                            String a = answer(offers, true, 8);
                            if (a == null) {
                                a = answer(offers, true, 0);
                            }
                            return a != null ? a : answer(offers, false, 0);
                        }));
        for (int j = 0; j < specs.size(); j++) {
            DeflateSpec spec = specs.get(j);
            for (int i = 0; i < MSG_SIZES.length; i++) {
                addCompression("13." + (j + 1) + "." + (i + 1), json, MSG_SIZES[i], spec,
                        "Use permessage-deflate client offers " + spec.offers() + " / " + spec.acceptText() + ".");
            }
        }
    }

    /**
     * The suite's answer as a server (Autobahn's {@code PerMessageDeflateOfferAccept}) to the first
     * valid permessage-deflate offer: it grants what the client asked of the server
     * ({@code server_no_context_takeover}, {@code server_max_window_bits}) and asks the client for
     * {@code client_no_context_takeover} when {@code clientNoContext} and for
     * {@code client_max_window_bits=clientBits} when {@code clientBits} is not 0. The latter needs
     * the client to have offered {@code client_max_window_bits}: otherwise the offer is declined
     * ({@code null}). Autobahn also declines when {@code client_no_context_takeover} was not offered;
     * the suite asks for it anyway, as RFC 7692 section 7.1.1.2 allows (a stricter test of the client).
     */
    private static String answer(List<Pmd.Element> offers, boolean clientNoContext, int clientBits) {
        for (Pmd.Element offer : offers) {
            if (!offer.name().equals(Pmd.NAME)
                    || Pmd.syntaxProblem(offer, false) != null) {
                continue;
            }
            if (clientBits != 0 && !offer.has(Pmd.CLIENT_MAX_WINDOW_BITS)) {
                return null;
            }
            StringBuilder sb = new StringBuilder(Pmd.NAME);
            if (offer.has(Pmd.SERVER_NO_CONTEXT_TAKEOVER)) {
                sb.append("; server_no_context_takeover");
            }
            if (offer.has(Pmd.SERVER_MAX_WINDOW_BITS)) {
                sb.append("; server_max_window_bits=").append(offer.value(Pmd.SERVER_MAX_WINDOW_BITS));
            }
            if (clientNoContext) {
                sb.append("; client_no_context_takeover");
            }
            if (clientBits != 0) {
                String offered = offer.value(Pmd.CLIENT_MAX_WINDOW_BITS);
                int bits = offered == null ? clientBits : Math.min(clientBits, Integer.parseInt(offered));
                sb.append("; client_max_window_bits=").append(bits);
            }
            return sb.toString();
        }
        return null;
    }

    private void addCompression(String id, CompressionData data, int[] size, DeflateSpec spec, String offerText) {
        int length = size[0];
        int count = messageCap > 0 ? Math.min(messageCap, size[1]) : size[1];
        int waitSecs = size[2];
        int fragment = size[3];
        String description = "Send " + count + " compressed messages each of payload size " + length
                + ", auto-fragment to " + fragment + " octets. " + offerText + " Data: " + data.description() + ".";
        cases.add(new ConformanceCase(id, description, "Receive echo'ed messages (with payload as sent). Timeout case after "
                + waitSecs + " secs.", r -> compressedEchoes(r, data, length, count, waitSecs, fragment), false,
                waitSecs * 1000L + 30_000, spec));
    }

    private static void compressedEchoes(CaseRun r, CompressionData data, int length, int count, int waitSecs,
                                         int fragment) {
        r.expectClose(true, true, 1000);
        r.recordMessages(false);
        if (r.deflate() == null) {
            r.unimplemented("permessage-deflate was not negotiated");
            r.sendClose(1000);
            return;
        }
        int opcode = data.binary() ? BINARY : TEXT;
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger pointer = new AtomicInteger();
        AtomicReference<byte[]> expected = new AtomicReference<>();
        long started = System.nanoTime();
        r.behavior(Verdict.FAILED, "Case did not finish within " + waitSecs + " seconds (scaled by the timing).");
        r.closeAfter(waitSecs * 1000L);
        Runnable next = () -> { // Autobahn's sendOne: the next slice of the data, wrapping around
            int from = pointer.get();
            pointer.set((from + length) % data.data().length);
            expected.set(data.slice(from, length));
            sent.incrementAndGet();
        };
        r.onMessage(e -> {
            byte[] want = expected.get();
            if (e.binary() != data.binary()) {
                r.behavior(Verdict.FAILED, "Echo'ed message type differs from what I sent (got binary " + e.binary()
                        + ", expected binary " + data.binary() + ") at message " + sent.get());
                r.sendClose(1000);
            } else if (e.data().length != length) {
                r.behavior(Verdict.FAILED, "Echo'ed message length differs from what I sent (got length "
                        + e.data().length + ", expected length " + length + ") at message " + sent.get());
                r.sendClose(1000);
            } else if (!Arrays.equals(e.data(), want)) {
                r.behavior(Verdict.FAILED, "Echo'ed message contents differ from what I sent (first difference at "
                        + Arrays.mismatch(e.data(), want) + ") at message " + sent.get());
                r.sendClose(1000);
            } else if (sent.get() < count) {
                next.run();
                r.sendMessageAsync(opcode, expected.get(), fragment);
            } else {
                long ms = (System.nanoTime() - started) / 1_000_000;
                int distance = r.largestPeerDistance();
                r.behavior(OK, "Ok, received all " + count + " echo'ed messages in " + ms + " ms; agreed: "
                        + r.deflate().response() + (distance > 0 ? "; largest distance in the peer's data "
                        + distance + " (window 2^" + r.deflate().windowBits(!r.weAreServer()) + ")" : ""));
                r.sendClose(1000);
            }
        });
        next.run();
        r.sendMessage(opcode, expected.get(), fragment);
    }
}
