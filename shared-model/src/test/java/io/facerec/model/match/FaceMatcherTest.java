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

    @Test
    void euclideanReportsTheDistanceAndConfidenceTheOldSystemReported() {
        // rows as dlib makes them: not unit length, compared as they are
        Gallery g = gallery(List.of("ana", "ana", "luis"),
                new float[] {0.3f, 0.4f, 0}, new float[] {0.1f, 0.1f, 0.4f}, new float[] {0, 0, 1.2f});
        Match m = new FaceMatcher(g, Metric.EUCLIDEAN, 0.6).match(new float[] {0.3f, 0.1f, 0});
        assertEquals("ana", m.candidate());
        assertEquals(0.3f, m.distance(), 1e-6, "|(0.3,0.1,0) - (0.3,0.4,0)| = 0.3, the nearer of ana's samples");
        assertEquals(0.7f, m.similarity(), 1e-6, "confidence = 1 - distance");
        double luis = Math.sqrt(0.09 + 0.01 + 1.44);
        assertEquals(luis - 0.3, m.margin(), 1e-6, "luis's distance minus ana's");
        assertTrue(m.known());
    }

    @Test
    void euclideanThresholdIsInclusiveLikeFaceRecognitionsCompareFaces() {
        Gallery g = gallery(List.of("ana", "luis"), new float[] {0, 0}, new float[] {10, 0});
        assertTrue(new FaceMatcher(g, Metric.EUCLIDEAN, 0.5).match(new float[] {0.5f, 0}).known(), "0.5 <= 0.5");
        Match far = new FaceMatcher(g, Metric.EUCLIDEAN, 0.5).match(new float[] {0, 0.75f});
        assertFalse(far.known());
        assertEquals("ana", far.candidate());
        assertEquals(0.75f, far.distance(), 1e-6);
    }

    @Test
    void euclideanDoesNotNormaliseSoLengthCounts() {
        // same direction, ten times longer: cosine calls it identical, Euclidean far
        Gallery g = gallery(List.of("ana", "luis"), new float[] {1, 0}, new float[] {0.6f, 0.7f});
        assertEquals("ana", new FaceMatcher(g, 0.5).match(new float[] {10, 0}).candidate());
        assertEquals("luis", new FaceMatcher(g, Metric.EUCLIDEAN, 0.6).match(new float[] {0.5f, 0.6f}).candidate());
        assertEquals(9f, new FaceMatcher(g, Metric.EUCLIDEAN, 0.6).match(new float[] {10, 0}).distance(), 1e-5);
    }

    @Test
    void euclideanRefusesANegativeThresholdAndCosineKeepsItsRange() {
        Gallery g = gallery(List.of("ana"), new float[] {1, 0});
        assertThrows(IllegalArgumentException.class, () -> new FaceMatcher(g, Metric.EUCLIDEAN, -0.1));
        assertThrows(IllegalArgumentException.class, () -> new FaceMatcher(g, Metric.EUCLIDEAN, Double.NaN));
        assertEquals(Metric.EUCLIDEAN, Metric.of("Euclidean"));
        assertThrows(IllegalArgumentException.class, () -> Metric.of("manhattan"));
        assertEquals(0.9f, new FaceMatcher(g, 0.5).match(new float[] {1, 0}).distance() + 0.9f, 1e-6,
                "a cosine match's distance is 1 - similarity (0 here)");
    }

    @Test
    void aEuclideanMatchIsDecidedAgainAtAnotherDistance() {
        Gallery g = gallery(List.of("ana"), new float[] {0, 0});
        Match m = new FaceMatcher(g, Metric.EUCLIDEAN, 0.6).match(new float[] {0.5f, 0});
        assertTrue(m.known());
        Match strict = m.withDistanceThreshold(0.4);
        assertFalse(strict.known());
        assertEquals(0.5f, strict.distance(), 1e-6);
        assertTrue(strict.withDistanceThreshold(0.5).known(), "at the distance itself: known");
        Gallery unit = gallery(List.of("ana"), new float[] {1, 0});
        assertEquals(0f, new FaceMatcher(unit, 0.5).match(new float[] {1, 0}).withThreshold(0.9).distance(), 1e-6,
                "a cosine match keeps its distance (1 - 1) when decided again");
    }

    @Test
    void euclideanScansAgreeWithBruteForceSmallAndQuantised() {
        euclideanAgreesWithBruteForce(3000, 128, 500);
        euclideanAgreesWithBruteForce(FaceMatcher.QUANTISE_FROM + 900, 128, 1500);
    }

    static void euclideanAgreesWithBruteForce(int n, int dim, int people) {
        Random rnd = new Random(11);
        float[] data = new float[n * dim];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rnd.nextGaussian() * 0.09f; // dlib-like: rows of length ~1
        }
        String[] labels = new String[n];
        for (int i = 0; i < n; i++) {
            labels[i] = "p" + (i % people);
        }
        Gallery g = new Gallery(List.of(labels), new FloatMatrix(n, dim, data), null);
        FaceMatcher matcher = new FaceMatcher(g, Metric.EUCLIDEAN, 0.6);
        for (int q = 0; q < 20; q++) {
            float[] query = g.embeddings().row(rnd.nextInt(n));
            for (int i = 0; i < dim; i++) {
                query[i] += (float) rnd.nextGaussian() * 0.03f;
            }
            java.util.Map<String, Double> perLabel = new java.util.HashMap<>();
            for (int r = 0; r < n; r++) {
                double d = 0;
                for (int i = 0; i < dim; i++) {
                    double x = data[r * dim + i] - query[i];
                    d += x * x;
                }
                perLabel.merge(labels[r], Math.sqrt(d), Math::min);
            }
            var sorted = perLabel.entrySet().stream().sorted(java.util.Map.Entry.comparingByValue()).toList();
            Match m = matcher.match(query);
            assertEquals(sorted.get(0).getKey(), m.candidate());
            assertEquals(sorted.get(0).getValue(), m.distance(), 1e-5);
            assertEquals(sorted.get(1).getValue() - sorted.get(0).getValue(), m.margin(), 1e-5);
            assertEquals(sorted.get(0).getValue() <= 0.6, m.known());
        }
    }

    private static double norm(float[] v, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) v[off + i] * v[off + i];
        }
        return Math.sqrt(s);
    }
}
