package ws.cli;

/** Entry point of the {@code ws} tool. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.err.println("ws: not built yet");
        System.exit(2);
    }
}
