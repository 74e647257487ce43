package io.facerec.recognizer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.recognizer.cli.FaceCommandIntegrationTest.Run;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The detector cut and the quality gate, re-derived by {@code face gates} from every shared photo,
 * the labelled video frames and the no-face images, each time the tests run: the defaults must be
 * what the documented rule (README, "The gates") chooses, and must keep the video's recall and
 * no-faces/ clean.
 */
class GatesFromDataIntegrationTest {
    static JsonNode gates;

    @BeforeAll
    static void run() throws Exception {
        Run r = FaceCommandIntegrationTest.face("gates", "--json",
                "--faces", TestData.path("deepface/images").toString(),
                "--faces", TestData.path("face_recognition/images").toString(),
                "--groups", TestData.path("face_recognition/group").toString(),
                "--groups", TestData.path("deepface/group").toString(),
                "--no-faces", TestData.path("no-faces").toString(),
                "--labels", TestData.path("face_recognition/video/frames_labels.tsv").toString());
        assertEquals(0, r.code(), r.err());
        gates = FaceCommandIntegrationTest.JSON.readTree(r.out());
    }

    @Test
    void theDefaultsAreTheGatesTheRuleChoosesFromTheData() {
        JsonNode chosen = gates.get("chosen");
        // the defaults are the rule's choice at two decimals
        assertEquals(chosen.get("minScore").asDouble(), EngineConfig.DEFAULT_MIN_SCORE, 0.005, gates.toString());
        assertEquals(chosen.get("minQuality").asDouble(), EngineConfig.DEFAULT_MIN_QUALITY, 0.005, gates.toString());
        assertEquals(0, chosen.get("falseFaces").asInt(), gates.toString());
        // and the defaults let through no more extra faces on one-person images than the rule's choice
        assertEquals(chosen.get("extraFaces").asInt(), gates.get("settings").get("extraFaces").asInt(), gates.toString());
    }

    @Test
    void withTheDefaultsTheVideoMeetsItsRecallAndNoFacesStaysClean() {
        JsonNode by = gates.get("settings").get("bySource");
        JsonNode video = by.get("video/frames_labels.tsv");
        assertEquals(44, video.get("withFace").asInt(), "labelled frames showing someone: " + by);
        assertTrue(video.get("found").asInt() >= 42, "frames with a face found: " + video);
        assertEquals(0, by.get("testdata/no-faces").get("falseFaces").asInt(), by.toString());
        for (String photos : new String[] {"deepface/images", "face_recognition/images", "face_recognition/group",
                "deepface/group"}) {
            JsonNode s = by.get(photos);
            assertEquals(s.get("withFace").asInt(), s.get("found").asInt(), photos + ": " + s);
        }
    }

    @Test
    void aLabelsLineWithoutItsThreeFieldsIsRefusedInOneLine(@TempDir Path tmp) throws Exception {
        Path tsv = tmp.resolve("labels.tsv");
        Files.writeString(tsv, "frame\ttime_s\tvisible_identity\nframe_001.jpg\t0.0\n");
        Run r = FaceCommandIntegrationTest.face("gates", "--labels", tsv.toString());
        assertEquals(1, r.code(), r.err());
        assertEquals("face: " + tsv + ":2: need path, time and visible identity separated by tabs\n", r.err());
        assertEquals("", r.out());
        Run none = FaceCommandIntegrationTest.face("gates", "--no-faces", tmp.toString());
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith("face: need images with faces"), none.err());
    }
}
