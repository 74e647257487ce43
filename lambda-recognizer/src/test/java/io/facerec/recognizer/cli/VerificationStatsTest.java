package io.facerec.recognizer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class VerificationStatsTest {
    @Test
    void perfectSeparation() {
        VerificationStats s = new VerificationStats(new double[] {0.7, 0.8, 0.9}, new double[] {0.1, 0.2, 0.3, 0.4});
        assertEquals(1.0, s.rocAuc(), 1e-12);
        assertEquals(1.0, s.bestAccuracy()[0], 1e-12);
        double t = s.bestAccuracy()[1];
        assertEquals(true, t > 0.4 && t < 0.7, "threshold between the classes: " + t);
        assertEquals(1.0, s.tar(0.5));
        assertEquals(0.0, s.far(0.5));
    }

    @Test
    void overlapAndTies() {
        // genuine 0.5 ties impostor 0.5: counts half
        VerificationStats s = new VerificationStats(new double[] {0.5, 0.9}, new double[] {0.1, 0.5});
        assertEquals(0.875, s.rocAuc(), 1e-12);
        assertEquals(0.5, s.far(0.5), "a pair at the threshold is accepted");
        assertEquals(1.0, s.tar(0.5));
        assertEquals(0.75, s.accuracy(0.5), 1e-12);
    }

    @Test
    void tarAtFarAllowsOnlyThatShareOfImpostors() {
        double[] imp = new double[1000];
        for (int i = 0; i < imp.length; i++) {
            imp[i] = i / 1000.0; // 0.000 .. 0.999
        }
        VerificationStats s = new VerificationStats(new double[] {0.9985, 0.9995, 0.5}, imp);
        double[] r = s.tarAtFar(0.001);
        assertEquals(1, Math.round(s.far(r[1]) * 1000), "exactly one impostor of 1000 accepted");
        assertEquals(2 / 3.0, r[0], 1e-12);
    }

    @Test
    void leaveOneOutCountsOnlyPeopleWithTwoPhotosAndNamesTheMisses() {
        float[] a1 = {1, 0};
        float[] a2 = {0.9f, 0.1f};
        float[] b1 = {0, 1};
        float[] b2 = {0.95f, 0.05f}; // b's second photo looks like a
        float[] c1 = {-1, 0};
        LeaveOneOut l = LeaveOneOut.of(java.util.List.of("a", "a", "b", "b", "c"), java.util.List.of(a1, a2, b1, b2, c1));
        assertEquals(4, l.probes(), "c has one photo: not a probe");
        // a1's nearest is b2 (0.95 > 0.9); b1's is a2; b2's is a1
        assertEquals(java.util.List.of("0:a->b", "2:b->a", "3:b->a"), l.misses());
        assertEquals(0.25, l.rank1(), 1e-12);
    }

    @Test
    void countsAndTheRocFromStrictToLenient() {
        VerificationStats s = new VerificationStats(new double[] {0.6, 0.8, 0.8}, new double[] {0.2, 0.6, 0.7});
        assertEquals(2, s.falseAccepts(0.6), "a pair at the threshold is accepted");
        assertEquals(0, s.falseRejects(0.6));
        assertEquals(1, s.falseRejects(0.61));
        assertEquals(0.7, s.hardestImpostor());
        assertEquals(0.6, s.weakestGenuine());
        var roc = s.roc();
        // {FAR, TAR, threshold}: nothing accepted, then at 0.8, 0.7, 0.6 (a tie of both kinds), 0.2
        double[][] want = {{0, 0}, {0, 2 / 3.0}, {1 / 3.0, 2 / 3.0}, {2 / 3.0, 1}, {1, 1}};
        assertEquals(want.length, roc.size());
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i][0], roc.get(i)[0], 1e-12, "FAR " + i);
            assertEquals(want[i][1], roc.get(i)[1], 1e-12, "TAR " + i);
        }
    }
}
