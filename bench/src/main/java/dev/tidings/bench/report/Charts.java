package dev.tidings.bench.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

import javax.imageio.ImageIO;

/**
 * Line and bar charts drawn with Java2D (headless): title, labelled axes with ticks and grid, a
 * legend, linear or logarithmic scales. No plotting tool needed.
 */
public final class Charts {

    public static final int WIDTH = 960;
    public static final int HEIGHT = 560;
    private static final int LEFT = 90;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;

    /** How a series' line is drawn. */
    public enum Dash { SOLID, DASHED, DOTTED }

    /** A named line of (x, y) points. */
    public record Series(String name, Color color, Dash dash, List<double[]> points) {
    }

    /** An axis: label, scale and how tick values are written. */
    public record Axis(String label, boolean log, java.util.function.DoubleFunction<String> format) {
        public static Axis linear(String label) {
            return new Axis(label, false, Charts::number);
        }

        public static Axis log(String label) {
            return new Axis(label, true, Charts::number);
        }
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Charts() {
    }

    /** A line chart; the x ticks are the x values of the points when {@code xTicksAtPoints}. */
    public static void line(Path file, String title, Axis x, Axis y, List<Series> series, boolean xTicksAtPoints,
            List<String> xTickLabels) throws IOException {
        List<double[]> all = new ArrayList<>();
        series.forEach(s -> all.addAll(s.points()));
        if (all.isEmpty()) {
            return;
        }
        double[] xRange = range(all, 0, x.log());
        double[] yRange = range(all, 1, y.log());
        if (!y.log()) {
            yRange[0] = Math.min(0, yRange[0]);
        }
        yRange = pad(yRange, y.log());
        if (xTicksAtPoints) {
            xRange = pad(xRange, x.log(), 0.04);
        }
        Canvas canvas = new Canvas(title);
        Scale sx = new Scale(xRange[0], xRange[1], x.log(), LEFT, WIDTH - RIGHT);
        Scale sy = new Scale(yRange[0], yRange[1], y.log(), HEIGHT - BOTTOM, TOP);
        List<Double> xTicks = new ArrayList<>();
        if (xTicksAtPoints) {
            all.stream().map(p -> p[0]).distinct().sorted().forEach(xTicks::add);
        } else {
            xTicks.addAll(ticks(xRange, x.log()));
        }
        canvas.axes(x, y, sx, sy, xTicks, ticks(yRange, y.log()), xTickLabels);
        for (Series s : series) {
            canvas.series(s, sx, sy);
        }
        canvas.legend(series.stream().map(s -> new Object[] {s.name(), s.color(), s.dash()}).toList());
        canvas.write(file);
    }

    /** A bar chart of one value per category, each bar in its own colour and labelled with its value. */
    public static void bars(Path file, String title, String yLabel, List<String> categories, List<Double> values,
            List<Color> colors, double reference, String referenceLabel) throws IOException {
        if (categories.isEmpty()) {
            return;
        }
        double max = Math.max(reference, values.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        double[] yRange = pad(new double[] {0, max <= 0 ? 1 : max}, false);
        Canvas canvas = new Canvas(title);
        Scale sy = new Scale(yRange[0], yRange[1], false, HEIGHT - BOTTOM, TOP);
        Graphics2D g = canvas.g;
        canvas.yAxis(Axis.linear(yLabel), sy, ticks(yRange, false));
        int n = categories.size();
        double slot = (double) (WIDTH - LEFT - RIGHT) / n;
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < n; i++) {
            int barWidth = (int) Math.min(140, slot * 0.6);
            int cx = (int) (LEFT + slot * (i + 0.5));
            int top = (int) sy.at(Math.max(0, values.get(i)));
            g.setColor(colors.get(i));
            g.fillRect(cx - barWidth / 2, top, barWidth, HEIGHT - BOTTOM - top);
            g.setColor(Color.DARK_GRAY);
            String label = number(values.get(i));
            g.drawString(label, cx - fm.stringWidth(label) / 2, top - 6);
            g.setColor(Color.BLACK);
            g.drawString(categories.get(i), cx - fm.stringWidth(categories.get(i)) / 2, HEIGHT - BOTTOM + 20);
        }
        g.setColor(Color.BLACK);
        g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
        if (reference > 0) {
            int ry = (int) sy.at(reference);
            g.setColor(new Color(200, 0, 0));
            g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {8, 6}, 0));
            g.drawLine(LEFT, ry, WIDTH - RIGHT, ry);
            g.drawString(referenceLabel, WIDTH - RIGHT - fm.stringWidth(referenceLabel) - 4, ry - 6);
        }
        canvas.write(file);
    }

    // --- drawing

    private static final class Canvas {
        final BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        final Graphics2D g = image.createGraphics();

        Canvas(String title) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
            FontMetrics fm = g.getFontMetrics();
            g.drawString(title, (WIDTH - fm.stringWidth(title)) / 2, 32);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        }

        void axes(Axis x, Axis y, Scale sx, Scale sy, List<Double> xTicks, List<Double> yTicks, List<String> xLabels) {
            yAxis(y, sy, yTicks);
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < xTicks.size(); i++) {
                double tick = xTicks.get(i);
                int px = (int) sx.at(tick);
                g.setColor(new Color(225, 225, 225));
                g.drawLine(px, TOP, px, HEIGHT - BOTTOM);
                g.setColor(Color.BLACK);
                g.drawLine(px, HEIGHT - BOTTOM, px, HEIGHT - BOTTOM + 5);
                String label = xLabels != null && i < xLabels.size() ? xLabels.get(i) : x.format().apply(tick);
                g.drawString(label, px - fm.stringWidth(label) / 2, HEIGHT - BOTTOM + 20);
            }
            g.drawLine(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM);
            g.setFont(g.getFont().deriveFont(Font.BOLD));
            fm = g.getFontMetrics();
            g.drawString(x.label(), (LEFT + WIDTH - RIGHT - fm.stringWidth(x.label())) / 2, HEIGHT - 22);
            g.setFont(g.getFont().deriveFont(Font.PLAIN));
        }

        void yAxis(Axis y, Scale sy, List<Double> ticks) {
            FontMetrics fm = g.getFontMetrics();
            for (double tick : ticks) {
                int py = (int) sy.at(tick);
                g.setColor(new Color(225, 225, 225));
                g.drawLine(LEFT, py, WIDTH - RIGHT, py);
                g.setColor(Color.BLACK);
                g.drawLine(LEFT - 5, py, LEFT, py);
                String label = y.format().apply(tick);
                g.drawString(label, LEFT - 8 - fm.stringWidth(label), py + fm.getAscent() / 2 - 1);
            }
            g.setColor(Color.BLACK);
            g.drawLine(LEFT, TOP, LEFT, HEIGHT - BOTTOM);
            AffineTransform saved = g.getTransform();
            g.setFont(g.getFont().deriveFont(Font.BOLD));
            fm = g.getFontMetrics();
            g.rotate(-Math.PI / 2);
            g.drawString(y.label(), -(TOP + HEIGHT - BOTTOM + fm.stringWidth(y.label())) / 2, 22);
            g.setTransform(saved);
            g.setFont(g.getFont().deriveFont(Font.PLAIN));
        }

        void series(Series s, Scale sx, Scale sy) {
            List<double[]> points = new ArrayList<>(s.points());
            points.sort((a, b) -> Double.compare(a[0], b[0]));
            g.setColor(s.color());
            g.setStroke(stroke(s.dash(), 2.2f));
            Path2D path = new Path2D.Double();
            boolean first = true;
            for (double[] p : points) {
                if (!sx.valid(p[0]) || !sy.valid(p[1])) {
                    continue;
                }
                if (first) {
                    path.moveTo(sx.at(p[0]), sy.at(p[1]));
                    first = false;
                } else {
                    path.lineTo(sx.at(p[0]), sy.at(p[1]));
                }
            }
            g.draw(path);
            g.setStroke(new BasicStroke(1));
            for (double[] p : points) {
                if (sx.valid(p[0]) && sy.valid(p[1])) {
                    g.fillOval((int) sx.at(p[0]) - 4, (int) sy.at(p[1]) - 4, 8, 8);
                }
            }
        }

        void legend(List<Object[]> entries) {
            FontMetrics fm = g.getFontMetrics();
            int width = entries.stream().mapToInt(e -> fm.stringWidth((String) e[0])).max().orElse(0) + 60;
            int height = entries.size() * 20 + 10;
            int x0 = LEFT + 12;
            int y0 = TOP + 8;
            g.setColor(new Color(255, 255, 255, 230));
            g.fillRect(x0, y0, width, height);
            g.setColor(Color.GRAY);
            g.drawRect(x0, y0, width, height);
            for (int i = 0; i < entries.size(); i++) {
                Object[] e = entries.get(i);
                int ly = y0 + 18 + i * 20;
                g.setColor((Color) e[1]);
                g.setStroke(stroke((Dash) e[2], 2.2f));
                g.drawLine(x0 + 8, ly - 4, x0 + 40, ly - 4);
                g.setStroke(new BasicStroke(1));
                g.setColor(Color.BLACK);
                g.drawString((String) e[0], x0 + 48, ly);
            }
        }

        void write(Path file) throws IOException {
            g.dispose();
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            ImageIO.write(image, "png", file.toFile());
        }
    }

    private static Stroke stroke(Dash dash, float width) {
        return switch (dash) {
            case SOLID -> new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
            case DASHED -> new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10, new float[] {10, 6}, 0);
            case DOTTED -> new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10, new float[] {2, 5}, 0);
        };
    }

    /** Maps data values to pixels, linearly or by log10. */
    private record Scale(double min, double max, boolean log, double from, double to) {
        boolean valid(double value) {
            return !log || value > 0;
        }

        double at(double value) {
            DoubleUnaryOperator f = log ? Math::log10 : v -> v;
            double lo = f.applyAsDouble(min);
            double hi = f.applyAsDouble(max);
            double v = f.applyAsDouble(value);
            return hi == lo ? (from + to) / 2 : from + (v - lo) / (hi - lo) * (to - from);
        }
    }

    static double[] range(List<double[]> points, int index, boolean log) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] p : points) {
            double v = p[index];
            if (log && v <= 0) {
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        if (min == Double.POSITIVE_INFINITY) {
            return new double[] {1, 10};
        }
        if (min == max) {
            return log ? new double[] {min / 2, max * 2} : new double[] {min - 1, max + 1};
        }
        return new double[] {min, max};
    }

    private static double[] pad(double[] range, boolean log) {
        return pad(range, log, 0.08);
    }

    private static double[] pad(double[] range, boolean log, double fraction) {
        if (log) {
            double lo = Math.log10(range[0]);
            double hi = Math.log10(range[1]);
            double d = (hi - lo) * fraction + 0.05;
            return new double[] {Math.pow(10, lo - d), Math.pow(10, hi + d)};
        }
        double d = (range[1] - range[0]) * fraction;
        return new double[] {range[0] == 0 ? 0 : range[0] - d, range[1] + d};
    }

    /** Ticks at 1-2-5 steps (linear) or at 1, 2, 5 × powers of ten (log). */
    static List<Double> ticks(double[] range, boolean log) {
        List<Double> ticks = new ArrayList<>();
        if (log) {
            int lo = (int) Math.floor(Math.log10(range[0]));
            int hi = (int) Math.ceil(Math.log10(range[1]));
            double[] mantissas = hi - lo > 4 ? new double[] {1} : new double[] {1, 2, 5};
            for (int e = lo; e <= hi; e++) {
                for (double m : mantissas) {
                    double v = m * Math.pow(10, e);
                    if (v >= range[0] && v <= range[1]) {
                        ticks.add(v);
                    }
                }
            }
            return ticks;
        }
        double span = range[1] - range[0];
        double raw = span / 6;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * magnitude >= raw) {
                step = m * magnitude;
                break;
            }
        }
        for (double v = Math.ceil(range[0] / step) * step; v <= range[1] + step * 1e-9; v += step) {
            ticks.add(Math.abs(v) < step * 1e-9 ? 0 : v);
        }
        return ticks;
    }

    /** A short number: 1 200 000 → 1.2M, 0.05 → 0.05, 5000 → 5k. */
    public static String number(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1e6)) + "M";
        }
        if (a >= 1e4) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "k";
        }
        if (a >= 100 || a == 0) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 1) {
            return trim(String.format(Locale.ROOT, "%.2f", v));
        }
        return trim(String.format(Locale.ROOT, "%.3g", v));
    }

    private static String trim(String number) {
        if (!number.contains(".")) {
            return number;
        }
        String trimmed = number.replaceAll("0+$", "");
        return trimmed.endsWith(".") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
