package io.facerec.model.match;

/**
 * Dot products of a query against gallery rows. Uses the Vector API where the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, plain loops otherwise (same results within rounding).
 */
final class DotProduct {
    static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private DotProduct() {
    }

    /** {@code out[r - from] = <query, rows[r]>} for rows {@code from..to-1} of a row-major matrix. */
    static void dots(float[] matrix, int cols, int from, int to, float[] query, float[] out) {
        if (VECTOR_API) {
            VectorDot.dots(matrix, cols, from, to, query, out);
        } else {
            for (int r = from; r < to; r++) {
                out[r - from] = scalar(matrix, r * cols, query, cols);
            }
        }
    }

    /**
     * {@code out[r - from] = scales[r] * <query, rows[r]>} for int8 rows {@code from..to-1}.
     */
    static void dotsInt8(byte[] matrix, float[] scales, int cols, int from, int to, float[] query, float[] out) {
        if (VECTOR_API) {
            VectorDot.dotsInt8(matrix, scales, cols, from, to, query, out);
        } else {
            for (int r = from; r < to; r++) {
                int off = r * cols;
                float s = 0;
                for (int i = 0; i < cols; i++) {
                    s += matrix[off + i] * query[i];
                }
                out[r - from] = s * scales[r];
            }
        }
    }

    static float scalar(float[] a, int off, float[] q, int n) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            s0 += a[off + i] * q[i];
            s1 += a[off + i + 1] * q[i + 1];
            s2 += a[off + i + 2] * q[i + 2];
            s3 += a[off + i + 3] * q[i + 3];
        }
        for (; i < n; i++) {
            s0 += a[off + i] * q[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
