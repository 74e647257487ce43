package io.facerec.model.match;

import io.facerec.model.gallery.Gallery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Matching of one embedding against the gallery, by cosine (the default) or Euclidean distance
 * (dlib's vectors). For cosine, rows and queries are L2-normalised, so the cosine is a dot product.
 * For Euclidean, rows are kept as they are and ranked by {@code q.r - |r|^2/2}, which orders them as
 * the distance does ({@code |q - r|^2 = |q|^2 - 2 (q.r - |r|^2/2)}), so both metrics share the same
 * dot-product scans. Each person may have several samples: a label's score is its best
 * sample's, and the margin is the gap to the best <em>other</em> label, which tells a confident
 * match from a coin toss between two look-alikes.
 *
 * <p>Large galleries are scanned twice: first an int8 copy of the rows (a quarter of the memory
 * traffic, which is what bounds a brute-force scan), then the exact float rows of only those
 * candidates whose approximate score is within twice the quantisation error bound of the second
 * best person. The result is the same as an exact scan: no person left out can be in the top two.
 */
public final class FaceMatcher {
    private static final int BLOCK = 1024;
    /** Below this many rows the exact scan is fast enough (under 0.5 ms). */
    static final int QUANTISE_FROM = 8192;

    private final float[] rows;
    private final Metric metric;
    private final float[] halfNorms; // |r|^2 / 2 per row, Euclidean only
    private final int dim;
    private final int[] labelOf;
    private final String[] names;
    private final float threshold;
    private final byte[] quantised; // null for small galleries
    private final float[] scales;
    private final float maxScale;

    /** Cosine matching; {@code threshold} is the similarity a face must reach. */
    public FaceMatcher(Gallery gallery, double threshold) {
        this(gallery, Metric.COSINE, threshold);
    }

    /**
     * Matching by {@code metric}; {@code threshold} is the cosine similarity a face must reach, or
     * the Euclidean distance it must not exceed.
     */
    public FaceMatcher(Gallery gallery, Metric metric, double threshold) {
        if (metric == Metric.COSINE && !(threshold >= -1 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be a cosine similarity in [-1, 1], got " + threshold);
        }
        if (metric == Metric.EUCLIDEAN && !(threshold >= 0 && threshold < Float.MAX_VALUE)) {
            throw new IllegalArgumentException("threshold must be a Euclidean distance >= 0, got " + threshold);
        }
        this.metric = metric;
        this.threshold = (float) threshold;
        this.dim = gallery.dimension();
        this.rows = gallery.embeddings().data().clone();
        if (metric == Metric.COSINE) {
            halfNorms = null;
            for (int r = 0; r < gallery.size(); r++) {
                normalise(rows, r * dim, dim);
            }
        } else {
            halfNorms = new float[gallery.size()];
            for (int r = 0; r < gallery.size(); r++) {
                halfNorms[r] = (float) (squaredNorm(rows, r * dim, dim) / 2);
            }
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        this.labelOf = new int[gallery.size()];
        List<String> labels = gallery.labels();
        for (int r = 0; r < labels.size(); r++) {
            labelOf[r] = index.computeIfAbsent(labels.get(r), k -> index.size());
        }
        this.names = index.keySet().toArray(String[]::new);
        if (labelOf.length >= QUANTISE_FROM) {
            quantised = new byte[rows.length];
            scales = new float[labelOf.length];
            float max = 0;
            for (int r = 0; r < labelOf.length; r++) {
                scales[r] = quantiseRow(rows, r * dim, dim, quantised);
                max = Math.max(max, scales[r]);
            }
            maxScale = max;
        } else {
            quantised = null;
            scales = null;
            maxScale = 0;
        }
    }

    /** Symmetric int8 quantisation of one row; returns its scale (value = q * scale). */
    static float quantiseRow(float[] rows, int off, int n, byte[] out) {
        float max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, Math.abs(rows[off + i]));
        }
        float scale = max == 0 ? 1 : max / 127f;
        for (int i = 0; i < n; i++) {
            out[off + i] = (byte) Math.round(rows[off + i] / scale);
        }
        return scale;
    }

    public float threshold() {
        return threshold;
    }

    public Metric metric() {
        return metric;
    }

    public int dimension() {
        return dim;
    }

    public int size() {
        return labelOf.length;
    }

    /** The distinct people, in gallery order. */
    public List<String> people() {
        return List.of(names);
    }

    public Match match(float[] embedding) {
        if (embedding.length != dim && labelOf.length > 0) {
            throw new IllegalArgumentException(
                    "query has " + embedding.length + " numbers, the gallery " + dim);
        }
        if (labelOf.length == 0) {
            return new Match(null, 0f, 0f, false);
        }
        float[] q = embedding.clone();
        if (metric == Metric.COSINE) {
            normalise(q, 0, q.length);
        }
        float[] best = quantised == null ? exactScan(q) : twoPassScan(q);
        int top = 0;
        for (int l = 1; l < best.length; l++) {
            if (best[l] > best[top]) {
                top = l;
            }
        }
        float second = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < best.length; l++) {
            if (l != top && best[l] > second) {
                second = best[l];
            }
        }
        if (metric == Metric.EUCLIDEAN) {
            double qq = squaredNorm(q, 0, q.length);
            float distance = distance(qq, best[top]);
            float similarity = 1f - distance;
            float other = second == Float.NEGATIVE_INFINITY ? -1f : 1f - distance(qq, second);
            return new Match(names[top], similarity, similarity - other, distance <= threshold, distance);
        }
        // with one person in the gallery there is no other label: the margin is to "nobody" (-1)
        float margin = best[top] - (second == Float.NEGATIVE_INFINITY ? -1f : second);
        return new Match(names[top], best[top], margin, best[top] >= threshold);
    }

    /** |q - r| from |q|^2 and the row's score q.r - |r|^2/2. */
    private static float distance(double qq, float score) {
        return (float) Math.sqrt(Math.max(0, qq - 2.0 * score));
    }

    private static double squaredNorm(float[] v, int off, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) v[off + i] * v[off + i];
        }
        return sum;
    }

    /** Subtracts |r|^2/2 from the dot products of rows from..to-1 (Euclidean only). */
    private void toScores(float[] dots, int from, int to) {
        if (halfNorms != null) {
            for (int r = from; r < to; r++) {
                dots[r - from] -= halfNorms[r];
            }
        }
    }

    private float[] exactScan(float[] q) {
        float[] best = new float[names.length];
        java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
        float[] block = new float[Math.min(BLOCK, labelOf.length)];
        for (int from = 0; from < labelOf.length; from += BLOCK) {
            int to = Math.min(labelOf.length, from + BLOCK);
            DotProduct.dots(rows, dim, from, to, q, block);
            toScores(block, from, to);
            for (int r = from; r < to; r++) {
                int l = labelOf[r];
                if (block[r - from] > best[l]) {
                    best[l] = block[r - from];
                }
            }
        }
        return best;
    }

    private float[] twoPassScan(float[] q) {
        int n = labelOf.length;
        float[] approx = new float[n];
        float[] block = new float[BLOCK];
        float first = Float.NEGATIVE_INFINITY;
        float[] bestApprox = new float[names.length];
        java.util.Arrays.fill(bestApprox, Float.NEGATIVE_INFINITY);
        for (int from = 0; from < n; from += BLOCK) {
            int to = Math.min(n, from + BLOCK);
            DotProduct.dotsInt8(quantised, scales, dim, from, to, q, block);
            toScores(block, from, to);
            System.arraycopy(block, 0, approx, from, to - from);
            for (int r = from; r < to; r++) {
                int l = labelOf[r];
                if (block[r - from] > bestApprox[l]) {
                    bestApprox[l] = block[r - from];
                }
            }
        }
        float second = Float.NEGATIVE_INFINITY;
        for (int l = 0; l < bestApprox.length; l++) {
            if (bestApprox[l] > first) {
                second = first;
                first = bestApprox[l];
            } else if (bestApprox[l] > second) {
                second = bestApprox[l];
            }
        }
        // |exact - approx| <= scale/2 * |q|_1 per row (rounding error of each element), plus float slack
        float l1 = 0;
        for (float v : q) {
            l1 += Math.abs(v);
        }
        float bound = maxScale / 2 * l1 + 1e-4f;
        float cutoff = (names.length > 1 ? second : first) - 2 * bound;
        float[] best = new float[names.length];
        java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
        float[] one = new float[1];
        for (int r = 0; r < n; r++) {
            if (approx[r] >= cutoff) {
                DotProduct.dots(rows, dim, r, r + 1, q, one);
                toScores(one, r, r + 1);
                int l = labelOf[r];
                if (one[0] > best[l]) {
                    best[l] = one[0];
                }
            }
        }
        return best;
    }

    static void normalise(float[] v, int off, int n) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) v[off + i] * v[off + i];
        }
        if (sum == 0) {
            return;
        }
        float inv = (float) (1.0 / Math.sqrt(sum));
        for (int i = 0; i < n; i++) {
            v[off + i] *= inv;
        }
    }
}
