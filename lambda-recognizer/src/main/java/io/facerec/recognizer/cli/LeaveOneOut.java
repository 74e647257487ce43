package io.facerec.recognizer.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Leave-one-out rank-1 identification: each photo whose person has another photo is matched against
 * all the other photos; it is right when its nearest neighbour (cosine) is the same person.
 *
 * @param probes photos that had another photo of their person
 * @param misses "person->wrong person" for each wrong nearest neighbour
 */
public record LeaveOneOut(int probes, List<String> misses) {
    public double rank1() {
        return probes == 0 ? Double.NaN : (double) (probes - misses.size()) / probes;
    }

    /** {@code who.get(i)} is the person of the unit vector {@code embeddings.get(i)}. */
    public static LeaveOneOut of(List<String> who, List<float[]> embeddings) {
        int probes = 0;
        List<String> misses = new ArrayList<>();
        for (int i = 0; i < embeddings.size(); i++) {
            if (Collections.frequency(who, who.get(i)) < 2) {
                continue;
            }
            probes++;
            int best = -1;
            double bestS = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < embeddings.size(); j++) {
                if (j != i) {
                    double s = dot(embeddings.get(i), embeddings.get(j));
                    if (s > bestS) {
                        bestS = s;
                        best = j;
                    }
                }
            }
            if (!who.get(best).equals(who.get(i))) {
                misses.add(i + ":" + who.get(i) + "->" + who.get(best));
            }
        }
        return new LeaveOneOut(probes, List.copyOf(misses));
    }

    static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
