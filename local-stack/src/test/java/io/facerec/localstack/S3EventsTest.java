package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class S3EventsTest {
    @Test
    void keysAreEncodedAsS3EncodesThemAndSubscriptionsMatchTheStack() throws Exception {
        JsonNode e = new ObjectMapper().readTree(S3Events.json("ObjectCreated:Put", "b", "enroll/José María/foto 1.jpg", 12, "\"abc\""));
        JsonNode r = e.get("Records").get(0);
        assertEquals("2.1", r.get("eventVersion").asText());
        assertEquals("ObjectCreated:Put", r.get("eventName").asText());
        assertEquals("enroll/Jos%C3%A9+Mar%C3%ADa/foto+1.jpg", r.at("/s3/object/key").asText());
        assertEquals(12, r.at("/s3/object/size").asInt());
        assertEquals("abc", r.at("/s3/object/eTag").asText());
        assertTrue(S3Events.subscribed("frames/cam/2026/01/01/1-1.jpg", true));
        assertFalse(S3Events.subscribed("frames/cam/x.png", true));
        assertFalse(S3Events.subscribed("frames/cam/x.jpg", false), "frame deletions are not subscribed");
        assertTrue(S3Events.subscribed("enroll/ana/a.jpg", false));
        assertFalse(S3Events.subscribed("gallery/labels.json", true));
    }
}
