package io.facerec.recognizer.track;

/**
 * A face embedding as the track state keeps it: int8 numbers with one scale (a 512-number face in
 * 516 bytes). A new face is reduced to this form before it is compared with anything, so a pair of
 * faces scores the same whichever of the two was processed first, and a track's sum of faces is kept
 * in exact integers, so it is the same whatever order its faces were added in.
 */
public record Embedding(byte[] q, float scale) {
    /** Fixed-point factor of the sums: a unit vector's numbers, times this, rounded. */
    static final int FIXED = 1000;

    public static Embedding of(float[] v) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        float scale = max == 0 ? 1 : max / 127f;
        byte[] q = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            q[i] = (byte) Math.round(v[i] / scale);
        }
        return new Embedding(q, scale);
    }

    public int dimension() {
        return q.length;
    }

    /** Cosine of the two stored forms, from integers: symmetric and exact. */
    public double cosine(Embedding o) {
        long dot = 0;
        long a = 0;
        long b = 0;
        for (int i = 0; i < q.length; i++) {
            dot += q[i] * o.q[i];
            a += q[i] * q[i];
            b += o.q[i] * o.q[i];
        }
        return a == 0 || b == 0 ? 0 : dot / Math.sqrt((double) a * b);
    }

    /** Adds this face, as a unit vector in fixed point, to a track's sum. */
    void addTo(int[] sum) {
        long n = 0;
        for (byte x : q) {
            n += x * x;
        }
        if (n == 0) {
            return;
        }
        double inv = FIXED / Math.sqrt(n);
        for (int i = 0; i < q.length; i++) {
            sum[i] += (int) Math.round(q[i] * inv);
        }
    }

    /** Cosine of two sums of faces: how alike two tracks' mean faces are. */
    static double cosine(int[] a, int[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** The direction of a sum of faces, in the stored form (a track's mean face, for clustering). */
    static Embedding ofSum(int[] sum) {
        float[] v = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            v[i] = sum[i];
        }
        return of(v);
    }
}
