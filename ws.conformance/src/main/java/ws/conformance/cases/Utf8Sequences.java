package ws.conformance.cases;

import java.util.ArrayList;
import java.util.List;
import ws.conformance.wire.Frames;
import ws.conformance.wire.Utf8;

/**
 * The UTF-8 sequences of Autobahn's cases 6.5 to 6.23, in Autobahn's order: they follow Markus
 * Kuhn's UTF-8 decoder stress test (sections 1 to 5), plus all prefixes of a valid string, the
 * non-characters (valid UTF-8) and the Unicode specials.
 */
final class Utf8Sequences {
    private Utf8Sequences() {
    }

    record Sequence(boolean valid, byte[] bytes) {
    }

    record Group(String name, List<Sequence> sequences) {
    }

    private static final class Builder {
        final List<Group> groups = new ArrayList<>();
        List<Sequence> current;

        Builder group(String name) {
            current = new ArrayList<>();
            groups.add(new Group(name, current));
            return this;
        }

        Builder valid(String hex) {
            current.add(new Sequence(true, Frames.hex(hex)));
            return this;
        }

        Builder invalid(String hex) {
            current.add(new Sequence(false, Frames.hex(hex)));
            return this;
        }

        Builder invalid(byte[] bytes) {
            current.add(new Sequence(false, bytes));
            return this;
        }
    }

    static List<Group> groups() {
        Builder b = new Builder();
        String kosme = "cebae1bdb9cf83cebcceb5";
        b.group("Some valid UTF-8 sequences")
                .valid("68656c6c6f24776f726c64")
                .valid("68656c6c6fc2a2776f726c64")
                .valid("68656c6c6fe282ac776f726c64")
                .valid("68656c6c6ff0a4ada2776f726c64")
                .valid(kosme);
        b.group("All prefixes of a valid UTF-8 string that contains multi-byte code points");
        byte[] k = Frames.hex(kosme);
        for (int i = 1; i <= k.length; i++) {
            byte[] prefix = java.util.Arrays.copyOf(k, i);
            b.current.add(new Sequence(Utf8.isValid(prefix), prefix));
        }
        b.group("First possible sequence of a certain length").valid("00").valid("c280").valid("e0a080")
                .valid("f0908080");
        b.group("First possible sequence length 5/6 (invalid codepoints)").invalid("f888808080")
                .invalid("fc8480808080");
        b.group("Last possible sequence of a certain length").valid("7f").valid("dfbf").valid("efbfbf")
                .valid("f48fbfbf");
        b.group("Last possible sequence length 4/5/6 (invalid codepoints)").invalid("f7bfbfbf")
                .invalid("fbbfbfbfbf").invalid("fdbfbfbfbfbf");
        b.group("Other boundary conditions").valid("ed9fbf").valid("ee8080").valid("efbfbd").valid("f48fbfbf")
                .invalid("f4908080");
        b.group("Unexpected continuation bytes").invalid("80").invalid("bf").invalid("80bf").invalid("80bf80")
                .invalid("80bf80bf").invalid("80bf80bf80").invalid("80bf80bf80bf");
        b.invalid(range(0x80, 0xbf, false));
        b.group("Lonely start characters");
        int[][] starts = {{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xf7}, {0xf8, 0xfb}, {0xfc, 0xfd}};
        for (int[] s : starts) {
            b.invalid(range(s[0], s[1], true));
        }
        String[] missing = {"c0", "e080", "f08080", "f8808080", "fc80808080", "df", "efbf", "f7bfbf", "fbbfbfbf",
                "fdbfbfbfbf"};
        b.group("Sequences with last continuation byte missing");
        for (String m : missing) {
            b.invalid(m);
        }
        b.group("Concatenation of incomplete sequences").invalid(String.join("", missing));
        b.group("Impossible bytes").invalid("fe").invalid("ff").invalid("fefeffff");
        b.group("Examples of an overlong ASCII character").invalid("c0af").invalid("e080af").invalid("f08080af")
                .invalid("f8808080af").invalid("fc80808080af");
        b.group("Maximum overlong sequences").invalid("c1bf").invalid("e09fbf").invalid("f08fbfbf")
                .invalid("f887bfbfbf").invalid("fc83bfbfbfbf");
        b.group("Overlong representation of the NUL character").invalid("c080").invalid("e08080")
                .invalid("f0808080").invalid("f880808080").invalid("fc8080808080");
        b.group("Single UTF-16 surrogates").invalid("eda080").invalid("edadbf").invalid("edae80").invalid("edafbf")
                .invalid("edb080").invalid("edbe80").invalid("edbfbf");
        b.group("Paired UTF-16 surrogates").invalid("eda080edb080").invalid("eda080edbfbf").invalid("edadbfedb080")
                .invalid("edadbfedbfbf").invalid("edae80edb080").invalid("edae80edbfbf").invalid("edafbfedb080")
                .invalid("edafbfedbfbf");
        b.group("Non-character code points (valid UTF-8)").valid("efbfbe").valid("efbfbf");
        String[] z1s = {"f0", "f1", "f2", "f3", "f4"};
        String[] z2s = {"8f", "9f", "af", "bf"};
        for (String z1 : z1s) {
            for (String z2 : z2s) {
                if (z1.equals("f4") && !z2.equals("8f")) {
                    continue; // above U+10FFFF
                }
                for (String z3 : new String[] {"be", "bf"}) {
                    String zz = z1 + z2 + "bf" + z3;
                    if (!zz.equals("f08fbfbe") && !zz.equals("f08fbfbf")) { // overlong
                        b.valid(zz);
                    }
                }
            }
        }
        b.group("Unicode specials (i.e. replacement char)").valid("efbfb9").valid("efbfba").valid("efbfbb")
                .valid("efbfbc").valid("efbfbd").valid("efbfbe").valid("efbfbf");
        return b.groups;
    }

    /** Bytes {@code from} to {@code to - 1}, each followed by a space when {@code spaced}. */
    private static byte[] range(int from, int to, boolean spaced) {
        byte[] out = new byte[(to - from) * (spaced ? 2 : 1)];
        int p = 0;
        for (int i = from; i < to; i++) {
            out[p++] = (byte) i;
            if (spaced) {
                out[p++] = 0x20;
            }
        }
        return out;
    }
}
