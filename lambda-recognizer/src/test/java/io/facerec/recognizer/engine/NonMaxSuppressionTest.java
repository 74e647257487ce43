package io.facerec.recognizer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NonMaxSuppressionTest {
    @Test
    void keepsTheBestOfOverlappingBoxesAndSeparateOnes() {
        Detection a = new Detection(new Box(0, 0, 100, 100), 0.9f);
        Detection b = new Detection(new Box(5, 5, 105, 105), 0.95f); // IoU with a ~0.82
        Detection c = new Detection(new Box(200, 0, 300, 100), 0.7f);
        Detection d = new Detection(new Box(60, 0, 160, 100), 0.8f); // IoU with b ~0.29: kept
        List<Detection> kept = NonMaxSuppression.apply(List.of(a, b, c, d), 0.4f, 750);
        assertEquals(List.of(b, d, c), kept);
    }

    @Test
    void topKCapsTheCandidates() {
        Detection a = new Detection(new Box(0, 0, 10, 10), 0.9f);
        Detection b = new Detection(new Box(50, 50, 60, 60), 0.8f);
        assertEquals(List.of(a), NonMaxSuppression.apply(List.of(b, a), 0.4f, 1));
    }

    @Test
    void iouIsSymmetricAndZeroForDisjointBoxes() {
        Box x = new Box(0, 0, 10, 10);
        Box y = new Box(5, 0, 15, 10);
        assertEquals(50f / 150f, x.iou(y), 1e-6);
        assertEquals(x.iou(y), y.iou(x), 1e-9);
        assertEquals(0f, x.iou(new Box(20, 20, 30, 30)));
    }
}
