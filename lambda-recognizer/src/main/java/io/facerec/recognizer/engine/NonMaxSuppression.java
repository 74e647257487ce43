package io.facerec.recognizer.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Standard greedy NMS: highest score first, drop any box overlapping a kept one above the IoU. */
public final class NonMaxSuppression {
    private NonMaxSuppression() {
    }

    public static List<Detection> apply(List<Detection> candidates, float iouThreshold, int topK) {
        List<Detection> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.comparingDouble(Detection::score).reversed());
        if (sorted.size() > topK) {
            sorted = sorted.subList(0, topK);
        }
        List<Detection> kept = new ArrayList<>();
        for (Detection d : sorted) {
            boolean overlaps = false;
            for (Detection k : kept) {
                if (k.box().iou(d.box()) > iouThreshold) {
                    overlaps = true;
                    break;
                }
            }
            if (!overlaps) {
                kept.add(d);
            }
        }
        return kept;
    }
}
