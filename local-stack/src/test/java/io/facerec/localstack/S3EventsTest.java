package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.loopback.S3Server;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

class S3EventsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keysAreEncodedAsS3EncodesThemAndSubscriptionsMatchTheStack() throws Exception {
        JsonNode e = JSON.readTree(S3Events.created("ObjectCreated:Put", "b", "enroll/José María/foto 1.jpg", 12,
                "\"abc\"", "v1"));
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

    /** What the local stack's S3 raises carries what a versioned bucket on AWS sends. */
    @Test
    void writesAndDeletesRaiseTheFieldsOfAVersionedBucket() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        try (S3Server server = new S3Server(null, 0, store -> new EventingBlobStore(store, events::add))) {
            var s3 = server.client();
            s3.createBucket(b -> b.bucket("versioned"));
            String key = "frames/cam/2026/01/01/1767225600000-1.jpg";
            String eTag = s3.putObject(b -> b.bucket("versioned").key(key), RequestBody.fromString("same bytes")).eTag();
            s3.putObject(b -> b.bucket("versioned").key(key), RequestBody.fromString("same bytes"));
            s3.putObject(b -> b.bucket("versioned").key("enroll/ana/a.jpg"), RequestBody.fromString("x"));
            s3.deleteObject(b -> b.bucket("versioned").key("enroll/ana/a.jpg"));
            assertEquals(4, events.size(), events.toString());

            JsonNode first = JSON.readTree(events.get(0)).at("/Records/0/s3/object");
            JsonNode again = JSON.readTree(events.get(1)).at("/Records/0/s3/object");
            assertEquals(10, first.get("size").asLong());
            assertEquals(eTag.replace("\"", ""), first.get("eTag").asText(), "unquoted, as S3 sends it");
            assertTrue(first.get("versionId").asText().matches("[A-Za-z0-9._]{32}"), first.toString());
            assertTrue(first.get("sequencer").asText().matches("[0-9A-F]{18}"), first.toString());
            assertEquals(first.get("eTag"), again.get("eTag"), "same bytes, same eTag");
            assertNotEquals(first.get("versionId"), again.get("versionId"), "a re-put is a new version");
            assertTrue(again.get("sequencer").asText().compareTo(first.get("sequencer").asText()) > 0, "later write, later sequencer");

            JsonNode delete = JSON.readTree(events.get(3)).at("/Records/0");
            assertEquals("ObjectRemoved:DeleteMarkerCreated", delete.get("eventName").asText());
            JsonNode marker = delete.at("/s3/object");
            assertTrue(marker.get("versionId").asText().matches("[A-Za-z0-9._]{32}"));
            assertTrue(marker.has("sequencer"));
            assertFalse(marker.has("eTag") || marker.has("size"), "a delete marker has neither");
        }
    }
}
