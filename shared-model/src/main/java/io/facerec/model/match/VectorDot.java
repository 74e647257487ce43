package io.facerec.model.match;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Loaded only when the incubator module is present (see {@link DotProduct}). */
final class VectorDot {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

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
}
