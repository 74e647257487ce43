package io.facerec.recognizer.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.recognizer.cli.DetectionGates.Candidate;
import io.facerec.recognizer.cli.DetectionGates.Choice;
import io.facerec.recognizer.cli.DetectionGates.Image;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gate-choosing rule on made-up detections, where the right answer can be worked out by hand. */
class DetectionGatesTest {
    static Image face(String name, Candidate... c) {
        return new Image("faces", name, true, List.of(c));
    }

    static Image none(String name, Candidate... c) {
        return new Image("none", name, false, List.of(c));
    }

    static Candidate c(double score, double quality) {
        return new Candidate((float) score, (float) quality, 100);
    }

    @Test
    void theGatesSitInTheMiddleOfTheRegionThatMissesNothingAndPassesNoFalseFace() {
        List<Image> images = List.of(
                face("a", c(0.9, 3.0)),
                face("weak", c(0.6, 3.0)),               // the weakest face sets the top of the score range
                face("blurred", c(0.95, 2.5), c(0.3, 0.5)), // its best detection sets the top of the quality range
                none("texture", c(0.5, 3.0)),            // the highest non-face score sets the bottom
                none("cat", c(0.97, 1.0)));              // a sure but empty detection sets the quality bottom
        Choice ch = DetectionGates.choose(images, 0.2);
        assertEquals(0, ch.cost());
        assertEquals("texture", ch.scoreLow().image());
        assertEquals("weak", ch.scoreHigh().image());
        assertEquals("cat", ch.qualityLow().image());
        assertEquals("blurred", ch.qualityHigh().image());
        assertTrue(ch.rectangle());
        // the score half-way on the logit scale: logit(0.5) = 0, logit(0.6) = ln 1.5
        assertEquals(DetectionGates.sigmoid(Math.log(1.5) / 2), ch.gates().minScore(), 1e-6);
        assertEquals(1.75, ch.gates().minQuality(), 1e-6);
        assertEquals(0, ch.facesMissed());
        assertEquals(0, ch.falseFaces());
    }

    @Test
    void aFalseFaceWeighsTenFacesMissed() {
        // n faces at 0.7 and one non-face at 0.75 with the same quality: dropping the false face costs n misses
        for (int n : new int[] {9, 11}) {
            List<Image> images = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                images.add(face("weak" + i, c(0.7, 3)));
            }
            images.add(face("strong", c(0.99, 3)));
            images.add(none("poster", c(0.75, 3)));
            Choice ch = DetectionGates.choose(images, 0.2);
            if (n < 10) { // the documented weight (README, "The gates")
                assertArrayEquals(new int[] {n, 0}, new int[] {ch.facesMissed(), ch.falseFaces()}, "miss " + n + " faces");
                assertTrue(ch.gates().minScore() > 0.75, ch.toString());
            } else {
                assertArrayEquals(new int[] {0, 1}, new int[] {ch.facesMissed(), ch.falseFaces()}, "keep the false face");
                assertTrue(ch.gates().minScore() <= 0.7, ch.toString());
            }
        }
    }

    @Test
    void evaluateCountsImagesFoundAndEveryFalseFacePerSource() {
        List<Image> images = List.of(face("a", c(0.9, 3), c(0.9, 3)), face("b", c(0.5, 3)),
                none("x", c(0.95, 3), c(0.96, 3)), none("y"));
        var o = DetectionGates.evaluate(images, new DetectionGates.Gates(0.8, 2));
        assertArrayEquals(new int[] {1, 2, 0, 0}, o.bySource().get("faces"), "an image with two faces is found once");
        assertArrayEquals(new int[] {0, 0, 2, 0}, o.bySource().get("none"), "every false face counts");
        assertEquals(1 + DetectionGates.FALSE_FACE_COST * 2, o.cost());
    }

    @Test
    void extraFacesOnOnePersonImagesOnlyBreakTies() {
        // a hand at 0.78 beside the face: dropped, since a cut above it misses nothing
        List<Image> images = new ArrayList<>(List.of(
                new Image("frames", "hand", true, true, List.of(c(0.99, 3), c(0.78, 2.3))),
                new Image("frames", "weak", true, true, List.of(c(0.85, 3))),
                none("texture", c(0.5, 3))));
        Choice ch = DetectionGates.choose(images, 0.2);
        assertArrayEquals(new int[] {0, 0, 0}, new int[] {ch.facesMissed(), ch.falseFaces(), ch.extraFaces()});
        assertEquals("hand", ch.scoreLow().image());
        assertEquals(DetectionGates.sigmoid((DetectionGates.logit(0.78f) + DetectionGates.logit(0.85f)) / 2),
                ch.gates().minScore(), 1e-6);
        // a bystander at 0.9 on a one-person image: dropping it would miss the weak face, so it stays
        images.add(new Image("frames", "bystander", true, true, List.of(c(0.99, 3), c(0.9, 3))));
        Choice kept = DetectionGates.choose(images, 0.2);
        assertArrayEquals(new int[] {0, 0, 1}, new int[] {kept.facesMissed(), kept.falseFaces(), kept.extraFaces()});
        // on a group photo the same detections are not extra
        images.set(3, new Image("groups", "bystander", true, false, List.of(c(0.99, 3), c(0.9, 3))));
        assertEquals(0, DetectionGates.choose(images, 0.2).extraFaces());
    }
}
