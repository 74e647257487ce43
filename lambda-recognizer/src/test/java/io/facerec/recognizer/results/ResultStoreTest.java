package io.facerec.recognizer.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.loopback.Dynalite;
import io.facerec.loopback.ResultTableSchema;
import io.facerec.model.result.FrameResult;
import io.facerec.model.result.ResultKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The store against a DynamoDB-compatible server, for what the handler tests cannot easily provoke. */
class ResultStoreTest {
    static final String TABLE = "store-test";
    static Dynalite dynalite;
    static DynamoDbClient ddb;
    static ResultStore store;

    @BeforeAll
    static void start() throws Exception {
        dynalite = Dynalite.start();
        ddb = dynalite.client();
        ResultTableSchema.ensure(ddb, TABLE);
        store = new ResultStore(ddb, TABLE, 30);
    }

    @AfterAll
    static void stop() throws Exception {
        dynalite.close();
    }

    static FrameResult frame(String id, String galleryProblem, String error) {
        return new FrameResult(id, "cam", Instant.parse("2026-03-01T10:00:00Z"), "b", "frames/cam/x.jpg", null, "e",
                0, 0, List.of(), "m", 1, galleryProblem, error);
    }

    static Map<String, AttributeValue> item(FrameResult r) {
        return ddb.getItem(b -> b.tableName(TABLE).key(Map.of(ResultKeys.PK, AttributeValue.fromS(ResultKeys.cameraPk("cam")),
                ResultKeys.SK, AttributeValue.fromS(ResultKeys.frameSk(r.captureTime(), r.frameId()))))).item();
    }

    @Test
    void aProblemTextLongerThanAnItemCanHoldIsShortenedNotLost() {
        // DynamoDB items hold 400 KB; a gallery problem quoting a huge label must not make the frame unrecordable
        String huge = "labels.json: label '" + "x".repeat(500_000) + "' is not valid";
        FrameResult r = frame("longproblem", huge, "error " + "y".repeat(500_000));
        assertTrue(store.putFrame(r, List.of()));
        Map<String, AttributeValue> item = item(r);
        String problem = item.get("galleryProblem").s();
        assertTrue(problem.startsWith("labels.json: label 'xxx"), problem.substring(0, 40));
        assertTrue(problem.length() <= 5_000, "shortened: " + problem.length());
        assertTrue(problem.endsWith("(" + huge.length() + " characters)"), problem.substring(problem.length() - 60));
        assertTrue(item.get("error").s().endsWith("(500006 characters)"));
    }
}
