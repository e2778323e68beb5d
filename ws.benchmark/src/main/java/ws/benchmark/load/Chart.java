package ws.benchmark.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * The benchmarks' PNG charts, drawn with headless Java2D: a white canvas with a title and a
 * subtitle, legend entries, and the file. {@link Report} draws its bar chart of ratios on it;
 * {@link #lines} draws figures over time (the soak's and the churn's server heap, threads and
 * files).
 */
final class Chart {
    static final Color BLUE = new Color(66, 133, 244);
    static final Color GREEN = new Color(52, 168, 83);
    static final Color RED = new Color(219, 68, 55);
    static final Color GREY = new Color(225, 225, 225);

    final int width;
    final int height;
    final Graphics2D g;
    private final BufferedImage image;

    private Chart(int width, int height, String title, String subtitle) {
        this.width = width;
        this.height = height;
        this.image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        this.g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(font(Font.BOLD, 18));
        g.drawString(title, 20, 30);
        g.setFont(font(Font.PLAIN, 13));
        g.drawString(subtitle, 20, 52);
    }

    /** A blank canvas with its title (bold) and subtitle at the top left. */
    static Chart canvas(int width, int height, String title, String subtitle) {
        return new Chart(width, height, title, subtitle);
    }

    static Font font(int style, int size) {
        return new Font(Font.SANS_SERIF, style, size);
    }

    /** A legend entry at (x, y): a square of the colour, then the text; returns the x after it. */
    int legend(int x, int y, Color color, String text) {
        g.setFont(font(Font.PLAIN, 13));
        g.setColor(color);
        g.fillRect(x, y - 11, 14, 12);
        g.setColor(Color.BLACK);
        g.drawString(text, x + 20, y);
        return x + 20 + g.getFontMetrics().stringWidth(text) + 30;
    }

    /** {@code text} ending at {@code x} (right-aligned), on the baseline {@code y}. */
    void textRight(String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text), y);
    }

    /** {@code text} centred on {@code x}, on the baseline {@code y}. */
    void textCentred(String text, int x, int y) {
        g.drawString(text, x - g.getFontMetrics().stringWidth(text) / 2, y);
    }

    /** A grey vertical grid line at {@code x} from {@code top} to {@code bottom}, its label centred below. */
    void xTick(int x, int top, int bottom, String label) {
        g.setColor(GREY);
        g.drawLine(x, top, x, bottom);
        g.setColor(Color.DARK_GRAY);
        textCentred(label, x, bottom + 16);
    }

    /** A grey horizontal grid line at {@code y} from {@code left} to {@code right}, its label right-aligned before it. */
    void yTick(int y, int left, int right, String label) {
        g.setColor(GREY);
        g.drawLine(left, y, right, y);
        g.setColor(Color.DARK_GRAY);
        textRight(label, left - 8, y + 4);
    }

    /**
     * A line through the points {@code (xs[i], ys[i])} in order, {@code stroke} pixels wide, with a dot
     * of {@code dot} pixels on each point (none for 0); a point with a negative x is missing, and the
     * line breaks there.
     */
    void polyline(int[] xs, int[] ys, Color color, float stroke, int dot) {
        g.setColor(color);
        g.setStroke(new BasicStroke(stroke));
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] < 0) {
                continue;
            }
            if (i > 0 && xs[i - 1] >= 0) {
                g.drawLine(xs[i - 1], ys[i - 1], xs[i], ys[i]);
            }
            if (dot > 0) {
                g.fillOval(xs[i] - dot / 2, ys[i] - dot / 2, dot, dot);
            }
        }
        g.setStroke(new BasicStroke(1f));
    }

    /**
     * A bar of a ratio chart ({@link #ratioScale}) from the parity line at {@code one} to {@code end},
     * {@code height} pixels from {@code y}, and its {@code text}: past the bar's end, or, when that
     * leaves the plot (it starts at {@code left}), after the parity line on the left and inside the bar
     * (in white) on the right.
     */
    void ratioBar(int one, int end, int y, int height, Color color, String text, int left) {
        g.setColor(color);
        g.fillRect(Math.min(one, end), y, Math.max(2, Math.abs(end - one)), height);
        g.setColor(Color.BLACK);
        g.setFont(font(Font.PLAIN, 11));
        int textWidth = g.getFontMetrics().stringWidth(text);
        int tx = end >= one ? Math.max(end, one + 2) + 4 : end - 4 - textWidth;
        if (tx < left + 2) {
            tx = one + 4;
        } else if (tx + textWidth > width - 4) {
            tx = end - 4 - textWidth;
            g.setColor(Color.WHITE);
        }
        g.drawString(text, tx, y + height - 2);
    }

    /**
     * A horizontal log scale of ratios from {@code min} to {@code max} (powers of two apart) over
     * {@code plot} pixels from {@code left}, its grid drawn from {@code top} to {@code bottom} with a
     * bold line at 1 (parity) and labels below: returns where a ratio falls (clamped to the scale).
     */
    java.util.function.DoubleToIntFunction ratioScale(int left, int plot, double min, double max, int top, int bottom) {
        double span = Math.log(max / min);
        java.util.function.DoubleToIntFunction x = v -> left
                + (int) Math.round(plot * Math.log(Math.max(min, Math.min(max, v)) / min) / span);
        g.setFont(font(Font.PLAIN, 12));
        for (double v = min; v <= max * 1.0001; v *= 2) {
            int gx = x.applyAsInt(v);
            g.setColor(v == 1.0 ? Color.BLACK : GREY);
            g.setStroke(new BasicStroke(v == 1.0 ? 2f : 1f));
            g.drawLine(gx, top - 5, gx, bottom);
            g.setColor(Color.DARK_GRAY);
            textCentred(v >= 1 ? String.format(Locale.ROOT, "%.0fx", v) : "1/" + Math.round(1 / v), gx, bottom + 16);
        }
        g.setStroke(new BasicStroke(1f));
        return x;
    }

    /** Writes the chart as a PNG and lets go of it. */
    void write(Path file) throws IOException {
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** One line of a {@link #lines} chart: a value per point, drawn against the left or the right axis. */
    record Series(String name, Color color, double[] values, boolean rightAxis) {
    }

    /**
     * A line chart over time: {@code seconds} along the x axis, each series against the left axis
     * ({@code leftUnit}) or the right one ({@code rightUnit}); both axes start at zero, so a flat
     * line reads as flat and a slope as growth.
     */
    static void lines(Path file, String title, String subtitle, double[] seconds, String leftUnit, String rightUnit,
                      List<Series> series) throws IOException {
        int width = 1100;
        int height = 560;
        int left = 90;
        int right = 90;
        int top = 80;
        int bottom = 90;
        int plotWidth = width - left - right;
        int plotHeight = height - top - bottom;
        Chart chart = canvas(width, height, title, subtitle);
        Graphics2D g = chart.g;
        double maxX = Math.max(1, seconds.length == 0 ? 1 : seconds[seconds.length - 1]);
        double maxLeft = niceCeiling(max(series, false));
        double maxRight = niceCeiling(max(series, true));
        g.setFont(font(Font.PLAIN, 12));
        for (int i = 0; i <= 5; i++) { // grid and the two axes' labels
            int y = top + plotHeight - plotHeight * i / 5;
            chart.yTick(y, left, left + plotWidth, number(maxLeft * i / 5));
            g.drawString(number(maxRight * i / 5), left + plotWidth + 8, y + 4);
        }
        double stepX = niceCeiling(maxX / 10);
        for (double s = 0; s <= maxX + 1e-9; s += stepX) {
            chart.xTick(left + (int) Math.round(plotWidth * s / maxX), top, top + plotHeight, number(s));
        }
        g.setColor(Color.BLACK);
        g.drawRect(left, top, plotWidth, plotHeight);
        g.drawString("seconds", left + plotWidth / 2 - 20, top + plotHeight + 34);
        g.drawString(leftUnit, 10, top - 10);
        chart.textRight(rightUnit, width - 10, top - 10);
        // the last series first and widest, the first on top and thinnest: equal lines stay visible
        for (int index = series.size() - 1; index >= 0; index--) {
            Series s = series.get(index);
            double max = s.rightAxis() ? maxRight : maxLeft;
            int n = Math.min(s.values().length, seconds.length);
            int[] xs = new int[n];
            int[] ys = new int[n];
            for (int i = 0; i < n; i++) {
                xs[i] = left + (int) Math.round(plotWidth * seconds[i] / maxX);
                ys[i] = top + plotHeight - (int) Math.round(plotHeight * s.values()[i] / max);
            }
            chart.polyline(xs, ys, s.color(), 2f + 2.5f * index, index == 0 ? 6 : 0);
        }
        int x = left;
        for (Series s : series) {
            x = chart.legend(x, height - 22, s.color(), s.name() + (s.rightAxis() ? " (right axis)" : " (left axis)"));
        }
        chart.write(file);
    }

    private static double max(List<Series> series, boolean rightAxis) {
        double max = 0;
        for (Series s : series) {
            if (s.rightAxis() == rightAxis) {
                for (double v : s.values()) {
                    max = Math.max(max, v);
                }
            }
        }
        return max;
    }

    /** 1, 2 or 5 times a power of ten, at least {@code value} (and at least 1). */
    private static double niceCeiling(double value) {
        if (!(value > 1)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(value)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * power >= value) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static String number(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%,.1f", v);
    }
}
