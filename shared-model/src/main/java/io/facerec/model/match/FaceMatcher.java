package io.facerec.model.match;

import io.facerec.model.gallery.Gallery;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cosine matching of one embedding against the gallery. Rows and queries are L2-normalised, so the
 * cosine is a dot product. Each person may have several samples: a label's score is its best
 * sample's, and the margin is the gap to the best <em>other</em> label, which tells a confident
 * match from a coin toss between two look-alikes.
 */
public final class FaceMatcher {
    private static final int BLOCK = 1024;

    private final float[] rows;
    private final int dim;
    private final int[] labelOf;
    private final String[] names;
    private final float threshold;

    public FaceMatcher(Gallery gallery, double threshold) {
        if (!(threshold >= -1 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be a cosine similarity in [-1, 1], got " + threshold);
        }
        this.threshold = (float) threshold;
        this.dim = gallery.dimension();
        this.rows = gallery.embeddings().data().clone();
        for (int r = 0; r < gallery.size(); r++) {
            normalise(rows, r * dim, dim);
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        this.labelOf = new int[gallery.size()];
        List<String> labels = gallery.labels();
        for (int r = 0; r < labels.size(); r++) {
            labelOf[r] = index.computeIfAbsent(labels.get(r), k -> index.size());
        }
        this.names = index.keySet().toArray(String[]::new);
    }

    public float threshold() {
        return threshold;
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
        normalise(q, 0, q.length);
        float[] best = new float[names.length];
        java.util.Arrays.fill(best, Float.NEGATIVE_INFINITY);
        float[] block = new float[Math.min(BLOCK, labelOf.length)];
        for (int from = 0; from < labelOf.length; from += BLOCK) {
            int to = Math.min(labelOf.length, from + BLOCK);
            DotProduct.dots(rows, dim, from, to, q, block);
            for (int r = from; r < to; r++) {
                float s = block[r - from];
                int l = labelOf[r];
                if (s > best[l]) {
                    best[l] = s;
                }
            }
        }
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
        // with one person in the gallery there is no other label: the margin is to "nobody" (-1)
        float margin = best[top] - (second == Float.NEGATIVE_INFINITY ? -1f : second);
        return new Match(names[top], best[top], margin, best[top] >= threshold);
    }

    /** Counts of samples per person, for display. */
    public Map<String, Integer> samplesPerPerson() {
        Map<String, Integer> counts = new HashMap<>();
        for (int l : labelOf) {
            counts.merge(names[l], 1, Integer::sum);
        }
        return counts;
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
