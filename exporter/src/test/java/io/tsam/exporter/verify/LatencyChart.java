package io.tsam.exporter.verify;

import io.tsam.common.io.AtomicFile;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * A grouped bar chart of median latencies, TSN and TSAM side by side for each ONNX Runtime setting
 * with TSAM's overhead above the pair, drawn with Java2D into a PNG.
 *
 * <p>Drawn here rather than with XChart because the exporter module does not depend on XChart and
 * the chart is two bars per group; it needs a headless AWT only.
 */
final class LatencyChart {

    /** One group of bars: a setting's label, its two medians and a note under the overhead. */
    record Group(String label, double tsnMs, double tsamMs, String note) {}

    private static final int WIDTH = 1100;
    private static final int HEIGHT = 560;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 70;
    private static final int BOTTOM = 110;
    private static final Color TSN = new Color(0x4C72B0);
    private static final Color TSAM = new Color(0xDD8452);
    private static final Color GRID = new Color(0xDDDDDD);

    private LatencyChart() {}

    /**
     * Writes the chart.
     *
     * @param target the PNG file, written atomically
     * @param title the title line
     * @param subtitle the line under it (machine, threads, medians of how many runs)
     * @param groups one group per setting, drawn left to right
     */
    static void write(Path target, String title, String subtitle, List<Group> groups)
            throws IOException {
        BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            draw(g, title, subtitle, groups);
        } finally {
            g.dispose();
        }
        AtomicFile.write(target, tmp -> ImageIO.write(image, "png", tmp.toFile()));
    }

    private static void draw(Graphics2D g, String title, String subtitle, List<Group> groups) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(
                RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.drawString(title, LEFT, 28);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        g.drawString(subtitle, LEFT, 50);

        double max = 0;
        for (Group group : groups) {
            max = Math.max(max, Math.max(group.tsnMs(), group.tsamMs()));
        }
        double step = niceStep(max / 5);
        double top = Math.ceil(max * 1.2 / step) * step;
        int plotHeight = HEIGHT - TOP - BOTTOM;
        int plotWidth = WIDTH - LEFT - RIGHT;
        int baseline = TOP + plotHeight;

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        FontMetrics metrics = g.getFontMetrics();
        for (double tick = 0; tick <= top + 1e-9; tick += step) {
            int y = baseline - (int) Math.round(tick / top * plotHeight);
            g.setColor(GRID);
            g.drawLine(LEFT, y, LEFT + plotWidth, y);
            g.setColor(Color.DARK_GRAY);
            String label = String.format(Locale.ROOT, "%.0f", tick);
            g.drawString(label, LEFT - 8 - metrics.stringWidth(label), y + 4);
        }
        drawRotated(g, "median latency (ms)", 24, TOP + plotHeight / 2);

        int slot = plotWidth / Math.max(1, groups.size());
        int bar = Math.min(60, slot / 3);
        for (int i = 0; i < groups.size(); i++) {
            Group group = groups.get(i);
            int centre = LEFT + slot * i + slot / 2;
            int tsnTop = bar(g, centre - bar, bar, group.tsnMs(), top, plotHeight, baseline, TSN);
            int tsamTop = bar(g, centre, bar, group.tsamMs(), top, plotHeight, baseline, TSAM);
            g.setColor(Color.BLACK);
            valueLabel(g, group.tsnMs(), centre - bar / 2, tsnTop);
            valueLabel(g, group.tsamMs(), centre + bar / 2, tsamTop);
            String overhead =
                    String.format(
                            Locale.ROOT,
                            "%+.1f%%",
                            100 * (group.tsamMs() - group.tsnMs()) / group.tsnMs());
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
            FontMetrics bold = g.getFontMetrics();
            int above = Math.min(tsnTop, tsamTop) - 22;
            g.drawString(overhead, centre - bold.stringWidth(overhead) / 2, above - 15);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(
                    group.note(), centre - g.getFontMetrics().stringWidth(group.note()) / 2, above);
            int line = 0;
            for (String part : group.label().split("\n")) {
                FontMetrics plain = g.getFontMetrics();
                g.drawString(
                        part, centre - plain.stringWidth(part) / 2, baseline + 18 + 15 * line++);
            }
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(LEFT, baseline, LEFT + plotWidth, baseline);
        legend(g, WIDTH - RIGHT - 230, HEIGHT - 28);
    }

    private static int bar(
            Graphics2D g,
            int x,
            int width,
            double value,
            double top,
            int plotHeight,
            int baseline,
            Color color) {
        int height = (int) Math.round(value / top * plotHeight);
        g.setColor(color);
        g.fillRect(x, baseline - height, width, height);
        return baseline - height;
    }

    private static void valueLabel(Graphics2D g, double value, int centre, int top) {
        String text = String.format(Locale.ROOT, "%.0f", value);
        g.drawString(text, centre - g.getFontMetrics().stringWidth(text) / 2, top - 5);
    }

    private static void legend(Graphics2D g, int x, int y) {
        g.setColor(TSN);
        g.fillRect(x, y - 11, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString("TSN (shift off)", x + 20, y);
        g.setColor(TSAM);
        g.fillRect(x + 120, y - 11, 14, 14);
        g.setColor(Color.BLACK);
        g.drawString("TSAM (shift on)", x + 140, y);
    }

    private static void drawRotated(Graphics2D g, String text, int x, int y) {
        Graphics2D rotated = (Graphics2D) g.create();
        try {
            rotated.translate(x, y);
            rotated.rotate(-Math.PI / 2);
            rotated.setColor(Color.DARK_GRAY);
            rotated.drawString(text, -rotated.getFontMetrics().stringWidth(text) / 2, 0);
        } finally {
            rotated.dispose();
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    private static double niceStep(double raw) {
        double power = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-9))));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * power >= raw) {
                return factor * power;
            }
        }
        return 10 * power;
    }
}
