package io.facerec.recognizer.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code face eval --plot}: one SVG with the trade-off in view. Left, the similarity of same-person
 * and different-person pairs as two histograms, each class scaled to its own count (there are far
 * more different-person pairs), with a vertical line at each threshold. Right, the ROC curve: the
 * share of same-person pairs accepted against the share of different-person pairs accepted, the
 * latter on a log scale down to one pair, with each threshold's point marked.
 */
final class ScorePlot {
    static final double BIN = 0.02;
    private static final int W = 1000;
    private static final int H = 420;
    // the two panels' plot areas
    private static final double HX0 = 60;
    private static final double HX1 = 520;
    private static final double RX0 = 610;
    private static final double RX1 = 960;
    private static final double Y0 = 50;
    private static final double Y1 = 360;
    /** Room at the ROC's left for FAR 0, which a log scale cannot show. */
    private static final double ZERO_STRIP = 24;

    /** A threshold to draw, with its name ("threshold", "FAR 0.1%"). */
    record Marker(String name, double threshold) {
    }

    private ScorePlot() {
    }

    static String svg(VerificationStats st, List<Marker> markers, String title) {
        double[] gen = st.scores(true);
        double[] imp = st.scores(false);
        double lo = Math.floor(Math.min(gen[0], imp[0]) / BIN) * BIN;
        double hi = Math.ceil(Math.max(gen[gen.length - 1], imp[imp.length - 1]) / BIN) * BIN;
        for (Marker m : markers) {
            lo = Math.min(lo, Math.floor(m.threshold() / BIN) * BIN);
            hi = Math.max(hi, Math.ceil(m.threshold() / BIN) * BIN);
        }
        if (hi - lo < BIN) {
            hi = lo + BIN;
        }
        int bins = (int) Math.round((hi - lo) / BIN);
        double[] g = histogram(gen, lo, bins);
        double[] i = histogram(imp, lo, bins);
        double top = 0;
        for (int k = 0; k < bins; k++) {
            top = Math.max(top, Math.max(g[k], i[k]));
        }
        top = Math.ceil(top * 20) / 20; // a round share on the axis
        StringBuilder s = new StringBuilder();
        s.append(f("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"sans-serif\" font-size=\"12\">\n", W, H, W, H));
        s.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H));
        s.append(f("<text x=\"%d\" y=\"22\" font-size=\"15\">%s</text>\n", (int) HX0, esc(title)));

        // histograms
        legend(s, HX0, 32, st);
        s.append(f("<text transform=\"translate(16,%.0f) rotate(-90)\" text-anchor=\"middle\">share of the pairs "
                + "of each kind, per %.2f</text>\n", (Y0 + Y1) / 2, BIN));
        axes(s, HX0, HX1);
        for (double v = Math.ceil(lo * 10) / 10; v <= hi + 1e-9; v += 0.1) {
            double x = hx(v, lo, hi);
            s.append(f("<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"black\"/>", x, Y1, x, Y1 + 4));
            s.append(f("<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%.1f</text>\n", x, Y1 + 17, v));
        }
        for (double v : new double[] {0, top / 2, top}) {
            double y = Y1 - v / top * (Y1 - Y0);
            s.append(f("<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s%%</text>\n", HX0 - 5, y + 4,
                    new java.math.BigDecimal(v * 100).setScale(1, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()));
        }
        s.append(f("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">cosine similarity</text>\n", (HX0 + HX1) / 2, Y1 + 34));
        bars(s, "impostor", i, lo, hi, top, "#d62728");
        bars(s, "genuine", g, lo, hi, top, "#2ca02c");
        String[] dash = {"6,3", "2,3", "10,3,2,3"};
        for (int k = 0; k < markers.size(); k++) {
            Marker m = markers.get(k);
            double x = hx(m.threshold(), lo, hi);
            s.append(f("<line class=\"threshold\" data-threshold=\"%s\" x1=\"%.2f\" y1=\"%.0f\" x2=\"%.2f\" y2=\"%.0f\" "
                    + "stroke=\"black\" stroke-width=\"1.5\" stroke-dasharray=\"%s\"/>\n",
                    num(m.threshold()), x, Y0, x, Y1, dash[k % dash.length]));
            // along the line, on alternate sides, so two close thresholds do not write over each other
            s.append(f("<text transform=\"translate(%.1f,%.0f) rotate(-90)\" text-anchor=\"end\">%s %.3f</text>\n",
                    k % 2 == 0 ? x - 4 : x + 13, Y0 + 4, esc(m.name()), m.threshold()));
        }

        // ROC, FAR on a log scale from one pair in all to 1
        double decades = Math.max(1, Math.ceil(Math.log10(st.impostorCount())));
        double tarLo = Math.min(0.9, Math.floor(st.tarAtFar(0)[0] * 10) / 10);
        s.append(f("<text x=\"%.0f\" y=\"38\">ROC: same-person pairs accepted (TAR) against "
                + "different-person (FAR)</text>\n", RX0 - 40));
        axes(s, RX0, RX1);
        for (int d = 0; d <= decades; d++) {
            double x = rx(Math.pow(10, d - decades), decades);
            s.append(f("<line x1=\"%.1f\" y1=\"%.0f\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"black\"/>", x, Y1, x, Y1 + 4));
            s.append(f("<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n", x, Y1 + 17,
                    d == decades ? "1" : "1e-" + (int) (decades - d)));
        }
        s.append(f("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">0</text>\n", RX0, Y1 + 17));
        for (int k = 0; k <= 4; k++) {
            double v = tarLo + (1 - tarLo) * k / 4;
            s.append(f("<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%.1f%%</text>\n", RX0 - 5,
                    ty(v, tarLo) + 4, v * 100));
        }
        s.append(f("<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">FAR (log scale; FAR 0 at the left edge)</text>\n",
                (RX0 + RX1) / 2, Y1 + 34));
        List<String> pts = new ArrayList<>();
        for (double[] p : st.roc()) {
            pts.add(f("%.2f,%.2f", rx(p[0], decades), ty(p[1], tarLo)));
        }
        s.append("<polyline id=\"roc\" fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"")
                .append(String.join(" ", pts)).append("\"/>\n");
        for (int k = 0; k < markers.size(); k++) {
            Marker m = markers.get(k);
            double x = rx(st.far(m.threshold()), decades);
            double y = ty(st.tar(m.threshold()), tarLo);
            s.append(f("<circle class=\"operating-point\" data-threshold=\"%s\" cx=\"%.2f\" cy=\"%.2f\" r=\"4\" fill=\"black\"/>\n",
                    num(m.threshold()), x, y));
            s.append(f("<text x=\"%.1f\" y=\"%.1f\">%s %.3f: TAR %.2f%%, FAR %.3f%%</text>\n", RX1 - 260,
                    Y1 - 50 + 16 * k, esc(m.name()), m.threshold(), 100 * st.tar(m.threshold()), 100 * st.far(m.threshold())));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static double[] histogram(double[] v, double lo, int bins) {
        double[] h = new double[bins];
        for (double x : v) {
            h[Math.clamp((int) Math.floor((x - lo) / BIN), 0, bins - 1)]++;
        }
        for (int k = 0; k < bins; k++) {
            h[k] /= v.length;
        }
        return h;
    }

    private static void bars(StringBuilder s, String id, double[] h, double lo, double hi, double top, String colour) {
        StringBuilder d = new StringBuilder();
        for (int k = 0; k < h.length; k++) {
            if (h[k] > 0) {
                double x0 = hx(lo + k * BIN, lo, hi);
                double x1 = hx(lo + (k + 1) * BIN, lo, hi);
                double y = Y1 - h[k] / top * (Y1 - Y0);
                d.append(f("M%.2f,%.2fV%.2fH%.2fV%.2fZ", x0, Y1, y, x1, Y1));
            }
        }
        s.append(f("<path id=\"%s\" d=\"%s\" fill=\"%s\" fill-opacity=\"0.55\" stroke=\"%s\"/>\n", id, d, colour, colour));
    }

    private static void legend(StringBuilder s, double x, double y, VerificationStats st) {
        s.append(f("<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"12\" fill=\"#d62728\" fill-opacity=\"0.55\"/>", x, y));
        s.append(f("<text x=\"%.0f\" y=\"%.0f\">different people (%d pairs)</text>\n", x + 18, y + 11, st.impostorCount()));
        s.append(f("<rect x=\"%.0f\" y=\"%.0f\" width=\"12\" height=\"12\" fill=\"#2ca02c\" fill-opacity=\"0.55\"/>", x + 220, y));
        s.append(f("<text x=\"%.0f\" y=\"%.0f\">same person (%d pairs)</text>\n", x + 238, y + 11, st.genuineCount()));
    }

    private static void axes(StringBuilder s, double x0, double x1) {
        s.append(f("<path d=\"M%.0f,%.0fV%.0fH%.0f\" fill=\"none\" stroke=\"black\"/>\n", x0, Y0, Y1, x1));
    }

    /** The histogram's x for a similarity. */
    static double hx(double v, double lo, double hi) {
        return HX0 + (v - lo) / (hi - lo) * (HX1 - HX0);
    }

    /** The ROC's x for a FAR: 0 at the left edge, then a log scale from 10^-decades (under one pair) to 1. */
    static double rx(double far, double decades) {
        if (far <= 0) {
            return RX0;
        }
        double d = Math.log10(far) + decades;
        return RX0 + ZERO_STRIP + (RX1 - RX0 - ZERO_STRIP) * Math.clamp(d / decades, 0, 1);
    }

    /** The ROC's y for a TAR, on an axis from {@code lo} to 1 (lower TARs sit on the axis). */
    static double ty(double tar, double lo) {
        return Y1 - Math.max(0, tar - lo) / (1 - lo) * (Y1 - Y0);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.6f", v);
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    private static String esc(String t) {
        return t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
