package io.facerec.recognizer.cli;

import java.util.Arrays;

/**
 * Verification figures from the similarity of same-person ("genuine") and different-person
 * ("impostor") pairs: ROC AUC, the best accuracy and its threshold, TAR at a FAR, TAR/FAR at a
 * threshold. A pair is accepted when its similarity is at or above the threshold.
 */
public final class VerificationStats {
    private final double[] genuine;
    private final double[] impostor;

    public VerificationStats(double[] genuine, double[] impostor) {
        if (genuine.length == 0 || impostor.length == 0) {
            throw new IllegalArgumentException("need at least one same-person and one different-person pair");
        }
        this.genuine = genuine.clone();
        this.impostor = impostor.clone();
        Arrays.sort(this.genuine);
        Arrays.sort(this.impostor);
    }

    public int genuineCount() {
        return genuine.length;
    }

    public int impostorCount() {
        return impostor.length;
    }

    /** Probability that a random genuine pair scores above a random impostor pair (ties count half). */
    public double rocAuc() {
        double wins = 0;
        int lo = 0;
        int hi = 0;
        for (double g : genuine) {
            while (lo < impostor.length && impostor[lo] < g) {
                lo++;
            }
            hi = Math.max(hi, lo);
            while (hi < impostor.length && impostor[hi] <= g) {
                hi++;
            }
            wins += lo + (hi - lo) / 2.0;
        }
        return wins / ((double) genuine.length * impostor.length);
    }

    /** Fraction of genuine pairs accepted at {@code t}. */
    public double tar(double t) {
        return 1.0 - (double) countBelow(genuine, t) / genuine.length;
    }

    /** Fraction of impostor pairs accepted at {@code t}. */
    public double far(double t) {
        return 1.0 - (double) countBelow(impostor, t) / impostor.length;
    }

    public double accuracy(double t) {
        long correct = (genuine.length - countBelow(genuine, t)) + countBelow(impostor, t);
        return (double) correct / (genuine.length + impostor.length);
    }

    /** The threshold with the best accuracy: the midpoint of the widest best gap between scores. */
    public double[] bestAccuracy() {
        double[] all = new double[genuine.length + impostor.length];
        System.arraycopy(genuine, 0, all, 0, genuine.length);
        System.arraycopy(impostor, 0, all, genuine.length, impostor.length);
        Arrays.sort(all);
        double bestAcc = -1;
        double bestT = all[0];
        for (int i = 0; i <= all.length; i++) {
            double t = i == 0 ? all[0] - 1e-6 : i == all.length ? all[i - 1] + 1e-6 : (all[i - 1] + all[i]) / 2;
            double acc = accuracy(t);
            if (acc > bestAcc) {
                bestAcc = acc;
                bestT = t;
            }
        }
        return new double[] {bestAcc, bestT};
    }

    /** The lowest threshold whose FAR is at most {@code maxFar}, and the TAR there. */
    public double[] tarAtFar(double maxFar) {
        int allowed = (int) Math.floor(maxFar * impostor.length);
        // accept at most `allowed` impostors: threshold just above the (allowed+1)-th highest impostor
        double t = Math.nextUp(impostor[impostor.length - 1 - Math.min(allowed, impostor.length - 1)]);
        if (allowed >= impostor.length) {
            t = impostor[0];
        }
        return new double[] {tar(t), t};
    }

    /** Impostor pairs accepted at {@code t}. */
    public int falseAccepts(double t) {
        return impostor.length - countBelow(impostor, t);
    }

    /** Genuine pairs rejected at {@code t}. */
    public int falseRejects(double t) {
        return countBelow(genuine, t);
    }

    public double hardestImpostor() {
        return impostor[impostor.length - 1];
    }

    public double weakestGenuine() {
        return genuine[0];
    }

    /** The genuine (or impostor) similarities, sorted ascending. */
    public double[] scores(boolean genuinePairs) {
        return (genuinePairs ? genuine : impostor).clone();
    }

    /**
     * The ROC curve: {FAR, TAR, threshold} at every threshold where either changes, from the
     * strictest (nothing accepted) to the most lenient (everything accepted).
     */
    public java.util.List<double[]> roc() {
        double[] all = new double[genuine.length + impostor.length];
        System.arraycopy(genuine, 0, all, 0, genuine.length);
        System.arraycopy(impostor, 0, all, genuine.length, impostor.length);
        Arrays.sort(all);
        java.util.List<double[]> out = new java.util.ArrayList<>();
        double top = Math.nextUp(all[all.length - 1]);
        out.add(new double[] {far(top), tar(top), top});
        for (int i = all.length - 1; i >= 0; i--) {
            if (i > 0 && all[i - 1] == all[i]) {
                continue;
            }
            out.add(new double[] {far(all[i]), tar(all[i]), all[i]});
        }
        return out;
    }

    private static int countBelow(double[] sorted, double t) {
        int i = Arrays.binarySearch(sorted, t);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && sorted[i - 1] == t) {
            i--;
        }
        return i;
    }
}
