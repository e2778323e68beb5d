package ws.protocol;

/** The opcodes of RFC 6455 section 5.2; the reserved values 0x3-0x7 and 0xB-0xF have no constant. */
public enum Opcode {
    CONTINUATION(0x0),
    TEXT(0x1),
    BINARY(0x2),
    CLOSE(0x8),
    PING(0x9),
    PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode opcode : values()) {
            BY_CODE[opcode.code] = opcode;
        }
    }

    private final int code;

    Opcode(int code) {
        this.code = code;
    }

    /** The 4-bit value on the wire. */
    public int code() {
        return code;
    }

    /** Control frames (close, ping, pong) have the high bit of the opcode set (RFC 6455 section 5.5). */
    public boolean isControl() {
        return (code & 0x8) != 0;
    }

    /** The opcode for a 4-bit wire value, or {@code null} when that value is reserved. */
    public static Opcode ofCode(int code) {
        return code >= 0 && code < 16 ? BY_CODE[code] : null;
    }
}
