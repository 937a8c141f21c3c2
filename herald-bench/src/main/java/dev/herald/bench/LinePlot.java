package dev.herald.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A small line chart drawn with Java2D and written as PNG: no services, no extra libraries. */
final class LinePlot {

    record Point(double x, double y) {}

    record Series(String name, Color color, boolean dashed, List<Point> points) {}

    private static final int W = 900;
    private static final int H = 540;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 50;
    private static final int BOTTOM = 70;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();

    LinePlot(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    LinePlot add(String name, Color color, boolean dashed, List<Point> points) {
        List<Point> valid = new ArrayList<>();
        for (Point p : points) {
            if (Double.isFinite(p.x()) && Double.isFinite(p.y()) && (!logY || p.y() > 0)) valid.add(p);
        }
        valid.sort((a, b) -> Double.compare(a.x(), b.x()));
        if (!valid.isEmpty()) series.add(new Series(name, color, dashed, valid));
        return this;
    }

    boolean isEmpty() { return series.isEmpty(); }

    void write(Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);

        double xMin = 0;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (Point p : s.points()) {
                xMax = Math.max(xMax, p.x());
                yMin = Math.min(yMin, p.y());
                yMax = Math.max(yMax, p.y());
            }
        }
        if (!Double.isFinite(xMax) || xMax <= 0) xMax = 1;
        xMax = niceCeil(xMax * 1.05);
        double y0;
        double y1;
        if (logY) {
            y0 = Math.pow(10, Math.floor(Math.log10(Double.isFinite(yMin) ? yMin : 0.1)));
            y1 = Math.pow(10, Math.ceil(Math.log10(Double.isFinite(yMax) ? yMax : 1)));
            if (y1 <= y0) y1 = y0 * 10;
        } else {
            y0 = 0;
            y1 = niceCeil(Double.isFinite(yMax) && yMax > 0 ? yMax * 1.1 : 1);
        }
        int pw = W - LEFT - RIGHT;
        int ph = H - TOP - BOTTOM;

        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 16);
        g.setFont(bold);
        g.setColor(Color.BLACK);
        g.drawString(title, LEFT, 30);
        g.setFont(small);
        FontMetrics fm = g.getFontMetrics();

        // grid and ticks
        Stroke thin = new BasicStroke(1f);
        g.setStroke(thin);
        double xStep = niceStep(xMax / 6);
        for (double x = 0; x <= xMax + 1e-9; x += xStep) {
            int px = LEFT + (int) Math.round(x / xMax * pw);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(px, TOP, px, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            String label = format(x);
            g.drawString(label, px - fm.stringWidth(label) / 2, TOP + ph + 18);
        }
        List<Double> yTicks = new ArrayList<>();
        if (logY) {
            for (double y = y0; y <= y1 * 1.0001; y *= 10) yTicks.add(y);
        } else {
            double yStep = niceStep(y1 / 6);
            for (double y = 0; y <= y1 + 1e-9; y += yStep) yTicks.add(y);
        }
        for (double y : yTicks) {
            int py = yPixel(y, y0, y1, ph);
            g.setColor(new Color(230, 230, 230));
            g.drawLine(LEFT, py, LEFT + pw, py);
            g.setColor(Color.DARK_GRAY);
            String label = format(y);
            g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + 5);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString(xLabel, LEFT + pw / 2 - fm.stringWidth(xLabel) / 2, H - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(TOP + ph / 2 + fm.stringWidth(yLabel) / 2), 22);
        rotated.dispose();

        // series
        int legendY = TOP + 18;
        for (Series s : series) {
            g.setColor(s.color());
            g.setStroke(s.dashed()
                    ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 6f}, 0f)
                    : new BasicStroke(2.2f));
            int[] xs = new int[s.points().size()];
            int[] ys = new int[s.points().size()];
            for (int i = 0; i < xs.length; i++) {
                Point p = s.points().get(i);
                xs[i] = LEFT + (int) Math.round(p.x() / xMax * pw);
                ys[i] = yPixel(p.y(), y0, y1, ph);
            }
            g.drawPolyline(xs, ys, xs.length);
            g.setStroke(thin);
            for (int i = 0; i < xs.length; i++) g.fillOval(xs[i] - 4, ys[i] - 4, 8, 8);
            // legend
            int lx = LEFT + 14;
            g.setStroke(s.dashed()
                    ? new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, new float[] {8f, 6f}, 0f)
                    : new BasicStroke(2.2f));
            g.drawLine(lx, legendY - 5, lx + 30, legendY - 5);
            g.setColor(Color.BLACK);
            g.drawString(s.name(), lx + 38, legendY);
            legendY += 18;
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private int yPixel(double y, double y0, double y1, int ph) {
        double f = logY ? (Math.log10(y) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0)) : (y - y0) / (y1 - y0);
        return TOP + ph - (int) Math.round(f * ph);
    }

    private static double niceStep(double raw) {
        if (raw <= 0) return 1;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
        return nice * mag;
    }

    private static double niceCeil(double v) {
        double step = niceStep(v / 5);
        return Math.ceil(v / step) * step;
    }

    private static String format(double v) {
        if (v == 0) return "0";
        if (Math.abs(v) >= 1_000_000) return trim(v / 1_000_000) + "M";
        if (Math.abs(v) >= 10_000) return trim(v / 1000) + "k";
        if (Math.abs(v) >= 1) return trim(v);
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.2f", v);
        return s.replaceAll("\\.?0+$", "");
    }
}
