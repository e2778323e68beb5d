package ws.cli;

import java.io.Console;

/** Whether the tool talks to a person at a terminal. */
final class Tty {
    private Tty() {
    }

    /**
     * Whether standard input and standard output are both a terminal. Java 21 has a
     * {@link System#console()} only then; from Java 22 on, {@code Console.isTerminal()} says it (a
     * console may exist without a terminal there).
     */
    static boolean interactive() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true; // Java 21
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }
}
