package io.facerec.recognizer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The SVG read back as XML: bars where the scores are, the threshold line between, the ROC's ends. */
class ScorePlotTest {
    static final VerificationStats STATS = new VerificationStats(new double[] {0.71, 0.75, 0.75, 0.83},
            new double[] {0.11, 0.13, 0.21, 0.29, 0.41, 0.43});

    static Document parse(String svg) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    static Element byId(Document d, String tag, String id) {
        NodeList l = d.getElementsByTagName(tag);
        for (int i = 0; i < l.getLength(); i++) {
            Element e = (Element) l.item(i);
            if (id.equals(e.getAttribute("id"))) {
                return e;
            }
        }
        throw new AssertionError("no " + tag + "#" + id);
    }

    /** Each bar of a histogram path as {left x, right x, top y}. */
    static List<double[]> bars(Element path) {
        List<double[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("M([\\d.]+),([\\d.]+)V([\\d.]+)H([\\d.]+)V([\\d.]+)Z").matcher(path.getAttribute("d"));
        while (m.find()) {
            out.add(new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(4)), Double.parseDouble(m.group(3))});
        }
        return out;
    }

    @Test
    void barsThresholdAndRocAreWhereTheScoresSay() throws Exception {
        Document d = parse(ScorePlot.svg(STATS, List.of(new ScorePlot.Marker("threshold", 0.5)), "a <test> & more"));
        List<double[]> gen = bars(byId(d, "path", "genuine"));
        List<double[]> imp = bars(byId(d, "path", "impostor"));
        assertEquals(3, gen.size(), "bins 0.70, 0.74, 0.82");
        assertEquals(6, imp.size(), "bins 0.10, 0.12, 0.20, 0.28, 0.40, 0.42");
        // the tallest genuine bar is the one holding two of four pairs: 0.75
        double[] tallest = gen.stream().min((a, b) -> Double.compare(a[2], b[2])).orElseThrow();
        double lo = 0.10;
        double hi = 0.84;
        assertEquals(ScorePlot.hx(0.74, lo, hi), tallest[0], 0.01);
        Element line = (Element) d.getElementsByTagName("line").item(0);
        for (int i = 0; i < d.getElementsByTagName("line").getLength(); i++) {
            Element e = (Element) d.getElementsByTagName("line").item(i);
            if ("threshold".equals(e.getAttribute("class"))) {
                line = e;
            }
        }
        double x = Double.parseDouble(line.getAttribute("x1"));
        assertEquals(ScorePlot.hx(0.5, lo, hi), x, 0.01);
        assertTrue(imp.stream().allMatch(b -> b[1] <= x) && gen.stream().allMatch(b -> b[0] >= x),
                "every different-person bar left of the line, every same-person bar right of it");
        // the ROC runs from nothing accepted (FAR 0, TAR 0) to everything accepted (FAR 1, TAR 1)
        String[] pts = byId(d, "polyline", "roc").getAttribute("points").split(" ");
        double tarLo = Math.min(0.9, Math.floor(STATS.tarAtFar(0)[0] * 10) / 10);
        double decades = Math.ceil(Math.log10(STATS.impostorCount()));
        assertPoint(ScorePlot.rx(0, decades), ScorePlot.ty(0, tarLo), pts[0]);
        assertPoint(ScorePlot.rx(1, decades), ScorePlot.ty(1, tarLo), pts[pts.length - 1]);
        // the threshold's operating point: no different-person pair accepted, every same-person pair
        Element op = (Element) d.getElementsByTagName("circle").item(0);
        assertEquals(ScorePlot.rx(0, decades), Double.parseDouble(op.getAttribute("cx")), 0.01);
        assertEquals(ScorePlot.ty(1, tarLo), Double.parseDouble(op.getAttribute("cy")), 0.01);
    }

    static void assertPoint(double x, double y, String p) {
        String[] xy = p.split(",");
        assertEquals(x, Double.parseDouble(xy[0]), 0.01, p);
        assertEquals(y, Double.parseDouble(xy[1]), 0.01, p);
    }
}
