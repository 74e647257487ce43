package io.facerec.recognizer.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.recognizer.enrolment.EnrolmentService;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RecognizerTest {
    @Test
    void keysAreDecodedAsS3EncodesThem() {
        assertEquals("enroll/José María/foto 1.jpg", Recognizer.decodeKey("enroll/Jos%C3%A9+Mar%C3%ADa/foto+1.jpg"));
        assertEquals("frames/a+b.jpg", Recognizer.decodeKey("frames/a%2Bb.jpg"), "a real plus arrives as %2B");
    }

    @Test
    void routing() {
        assertTrue(Recognizer.isFrame("frames/cam/2026/01/01/1-1.jpg"));
        assertTrue(Recognizer.isFrame("frames/cam/x.JPEG"));
        assertFalse(Recognizer.isFrame("frames/cam/x.png"));
        assertFalse(Recognizer.isFrame("gallery/x.jpg"));
        assertEquals(Optional.of("ana"), EnrolmentService.personOf("enroll/ana/1.jpg"));
        assertEquals(Optional.empty(), EnrolmentService.personOf("enroll/ana/"));
        assertEquals(Optional.empty(), EnrolmentService.personOf("enroll/photo.jpg"));
    }
}
