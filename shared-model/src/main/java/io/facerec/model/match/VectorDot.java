package io.facerec.model.match;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Loaded only when the incubator module is present (see {@link DotProduct}). */
final class VectorDot {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    // bytes loaded per step: one float vector's lanes, but at least the smallest byte vector (64 bits)
    private static final VectorSpecies<Byte> B = S.length() <= 8 ? ByteVector.SPECIES_64
            : VectorSpecies.of(byte.class, VectorShape.forBitSize(S.length() * 8));
    private static final int PARTS = B.length() / S.length();

    private VectorDot() {
    }

    static void dots(float[] matrix, int cols, int from, int to, float[] query, float[] out) {
        int step = S.length();
        int bound = S.loopBound(cols);
        for (int r = from; r < to; r++) {
            int off = r * cols;
            // two accumulators hide the FMA latency
            FloatVector acc0 = FloatVector.zero(S);
            FloatVector acc1 = FloatVector.zero(S);
            int i = 0;
            for (; i + step < bound; i += 2 * step) {
                acc0 = FloatVector.fromArray(S, matrix, off + i).fma(FloatVector.fromArray(S, query, i), acc0);
                acc1 = FloatVector.fromArray(S, matrix, off + i + step)
                        .fma(FloatVector.fromArray(S, query, i + step), acc1);
            }
            for (; i < bound; i += step) {
                acc0 = FloatVector.fromArray(S, matrix, off + i).fma(FloatVector.fromArray(S, query, i), acc0);
            }
            float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) {
                s += matrix[off + i] * query[i];
            }
            out[r - from] = s;
        }
    }

    static void dotsInt8(byte[] matrix, float[] scales, int cols, int from, int to, float[] query, float[] out) {
        int step = B.length();
        int bound = B.loopBound(cols);
        int lanes = S.length();
        for (int r = from; r < to; r++) {
            int off = r * cols;
            FloatVector acc = FloatVector.zero(S);
            int i = 0;
            for (; i < bound; i += step) {
                ByteVector b = ByteVector.fromArray(B, matrix, off + i);
                for (int part = 0; part < PARTS; part++) {
                    FloatVector f = (FloatVector) b.convertShape(VectorOperators.B2F, S, part);
                    acc = f.fma(FloatVector.fromArray(S, query, i + part * lanes), acc);
                }
            }
            float s = acc.reduceLanes(VectorOperators.ADD);
            for (; i < cols; i++) {
                s += matrix[off + i] * query[i];
            }
            out[r - from] = s * scales[r];
        }
    }
}
