package io.facerec.model.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaceMatcherTest {
    static Gallery gallery(List<String> labels, float[]... rows) {
        return new Gallery(labels, FloatMatrix.ofRows(rows[0].length, List.of(rows)), null);
    }

    @Test
    void bestSampleOfEachPersonDecidesAndMarginIsToTheBestOtherPerson() {
        // ana has two samples; the second is closer to the query
        Gallery g = gallery(List.of("ana", "ana", "luis"),
                new float[] {1, 0, 0}, new float[] {0.8f, 0.6f, 0}, new float[] {0, 1, 0});
        Match m = new FaceMatcher(g, 0.5).match(new float[] {0.6f, 0.8f, 0});
        assertEquals("ana", m.candidate());
        assertEquals(0.96f, m.similarity(), 1e-5);
        assertEquals(0.96f - 0.8f, m.margin(), 1e-5, "margin to luis, not to ana's other sample");
        assertTrue(m.known());
        assertEquals("ana", m.label());
    }

    @Test
    void belowThresholdIsUnknownButKeepsTheCandidate() {
        Gallery g = gallery(List.of("ana", "luis"), new float[] {1, 0}, new float[] {0, 1});
        Match m = new FaceMatcher(g, 0.9).match(new float[] {1, 1});
        assertFalse(m.known());
        assertEquals(Match.UNKNOWN, m.label());
        assertEquals(0.7071f, m.similarity(), 1e-4);
        assertEquals(0f, m.margin(), 1e-6);
    }

    @Test
    void rowsAndQueryAreNormalised() {
        Gallery g = gallery(List.of("ana", "luis"), new float[] {10, 0}, new float[] {0, 0.1f});
        Match m = new FaceMatcher(g, 0.5).match(new float[] {0, 3});
        assertEquals("luis", m.label());
        assertEquals(1f, m.similarity(), 1e-6);
    }

    @Test
    void emptyGalleryMakesEveryoneUnknown() {
        Gallery g = new Gallery(List.of(), new FloatMatrix(0, 512, new float[0]), null);
        Match m = new FaceMatcher(g, 0.5).match(new float[512]);
        assertFalse(m.known());
        assertNull(m.candidate());
    }

    @Test
    void onePersonGalleryMeasuresMarginFromMinusOne() {
        Gallery g = gallery(List.of("ana"), new float[] {1, 0});
        Match m = new FaceMatcher(g, 0.5).match(new float[] {1, 0});
        assertEquals(2f, m.margin(), 1e-6);
    }

    @Test
    void refusesQueryOfAnotherDimensionAndBadThreshold() {
        Gallery g = gallery(List.of("ana"), new float[] {1, 0});
        assertThrows(IllegalArgumentException.class, () -> new FaceMatcher(g, 0.5).match(new float[3]));
        assertThrows(IllegalArgumentException.class, () -> new FaceMatcher(g, 1.5));
        assertThrows(IllegalArgumentException.class, () -> new FaceMatcher(g, Double.NaN));
    }

    @Test
    void smallGalleryAgreesWithBruteForce() {
        agreesWithBruteForce(5000, 515, 700); // 515: not a multiple of the vector width, exercises the tail
    }

    @Test
    void quantisedTwoPassScanOfALargeGalleryIsExact() {
        agreesWithBruteForce(FaceMatcher.QUANTISE_FROM + 1500, 512, 2000);
        agreesWithBruteForce(FaceMatcher.QUANTISE_FROM + 7, 131, 3);
    }

    @Test
    void quantisedScanFindsTheTrueBestAmongNearTies() {
        // many samples almost equally close: the int8 pass alone would rank them wrongly
        Random rnd = new Random(3);
        int dim = 512;
        int n = FaceMatcher.QUANTISE_FROM + 100;
        float[] base = new float[dim];
        for (int i = 0; i < dim; i++) {
            base[i] = (float) rnd.nextGaussian();
        }
        float[] data = new float[n * dim];
        String[] labels = new String[n];
        for (int r = 0; r < n; r++) {
            labels[r] = "p" + r;
            for (int i = 0; i < dim; i++) {
                data[r * dim + i] = base[i] + (float) rnd.nextGaussian() * 0.05f;
            }
        }
        Gallery g = new Gallery(List.of(labels), new FloatMatrix(n, dim, data), null);
        float[] query = base.clone();
        double[] exact = bruteForceTopTwo(data, labels, dim, query);
        Match m = new FaceMatcher(g, 0.5).match(query);
        assertEquals(labels[(int) exact[2]], m.candidate());
        assertEquals(exact[0], m.similarity(), 1e-5);
        assertEquals(exact[0] - exact[1], m.margin(), 1e-5);
    }

    /** best similarity, second-best person's similarity, best row. */
    static double[] bruteForceTopTwo(float[] data, String[] labels, int dim, float[] query) {
        java.util.Map<String, Double> perLabel = new java.util.HashMap<>();
        double qn = norm(query, 0, dim);
        int bestRow = -1;
        double best = -2;
        for (int r = 0; r < labels.length; r++) {
            double s = 0;
            for (int i = 0; i < dim; i++) {
                s += (double) data[r * dim + i] * query[i];
            }
            s /= norm(data, r * dim, dim) * qn;
            perLabel.merge(labels[r], s, Math::max);
            if (s > best) {
                best = s;
                bestRow = r;
            }
        }
        String top = labels[bestRow];
        double second = perLabel.entrySet().stream().filter(e -> !e.getKey().equals(top))
                .mapToDouble(java.util.Map.Entry::getValue).max().orElse(-1);
        return new double[] {best, second, bestRow};
    }

    static void agreesWithBruteForce(int n, int dim, int people) {
        Random rnd = new Random(42);
        float[] data = new float[n * dim];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rnd.nextGaussian();
        }
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = "p" + (i % people);
        }
        Gallery g = new Gallery(List.of(labels), new FloatMatrix(n, dim, data), null);
        FaceMatcher matcher = new FaceMatcher(g, 0.3);
        for (int q = 0; q < 20; q++) {
            int target = rnd.nextInt(n);
            float[] query = g.embeddings().row(target);
            for (int i = 0; i < dim; i++) {
                query[i] += (float) rnd.nextGaussian() * 0.5f;
            }
            double[] exact = bruteForceTopTwo(data, labels, dim, query);
            Match m = matcher.match(query);
            assertEquals(labels[(int) exact[2]], m.candidate());
            assertEquals(exact[0], m.similarity(), 1e-4);
            assertEquals(exact[0] - exact[1], m.margin(), 1e-4);
        }
    }

    @Test
    void vectorAndScalarKernelsAgree() {
        Random rnd = new Random(7);
        int cols = 131;
        float[] m = new float[10 * cols];
        float[] q = new float[cols];
        for (int i = 0; i < m.length; i++) {
            m[i] = rnd.nextFloat() - 0.5f;
        }
        for (int i = 0; i < cols; i++) {
            q[i] = rnd.nextFloat() - 0.5f;
        }
        float[] out = new float[10];
        VectorDot.dots(m, cols, 0, 10, q, out);
        for (int r = 0; r < 10; r++) {
            assertEquals(DotProduct.scalar(m, r * cols, q, cols), out[r], 1e-5);
        }
        assertTrue(DotProduct.VECTOR_API, "tests run with the Vector API module");
    }

    private static double norm(float[] v, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) v[off + i] * v[off + i];
        }
        return Math.sqrt(s);
    }
}
