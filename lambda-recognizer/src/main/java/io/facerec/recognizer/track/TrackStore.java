package io.facerec.recognizer.track;

import io.facerec.model.result.ResultKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A camera's {@link CameraTracks} in the results table, one item ({@link ResultKeys#tracksPk}): read
 * consistently, written only if nobody wrote it since (its version {@code v}), so concurrent frames of
 * one camera in different containers never lose each other's faces. The item expires a day after its
 * last write, when its camera has been quiet that long.
 */
public final class TrackStore {
    static final Duration KEEP = Duration.ofDays(1);
    private final DynamoDbClient ddb;
    private final String table;
    private final Clock clock;

    public TrackStore(DynamoDbClient ddb, String table, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.clock = clock;
    }

    /** A camera's tracks and the version they were read at (0: none yet). */
    public record Versioned(CameraTracks tracks, long version) {
    }

    public Versioned read(String cameraId) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).key(key(cameraId)).consistentRead(true)).item();
        if (item == null || item.isEmpty() || !item.containsKey("state")) {
            return new Versioned(new CameraTracks(), 0);
        }
        return new Versioned(CameraTracks.decode(item.get("state").b().asByteArray()), Long.parseLong(item.get("v").n()));
    }

    /** Writes the tracks if they are still at {@code version}; false when another frame wrote first. */
    public boolean write(String cameraId, CameraTracks tracks, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(cameraId));
        item.put("type", AttributeValue.fromS("tracks"));
        item.put("cameraId", AttributeValue.fromS(cameraId));
        item.put("state", AttributeValue.fromB(SdkBytes.fromByteArray(tracks.encode())));
        item.put("v", AttributeValue.fromN(Long.toString(version + 1)));
        item.put("updatedAt", AttributeValue.fromS(ResultKeys.time(clock.instant())));
        item.put(ResultKeys.TTL, AttributeValue.fromN(Long.toString(clock.instant().plus(KEEP).getEpochSecond())));
        try {
            if (version == 0) {
                ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                        .expressionAttributeNames(Map.of("#pk", ResultKeys.PK)));
            } else {
                ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("v = :v")
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(version)))));
            }
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String cameraId) {
        return Map.of(ResultKeys.PK, AttributeValue.fromS(ResultKeys.tracksPk(cameraId)),
                ResultKeys.SK, AttributeValue.fromS(ResultKeys.TRACKS_SK));
    }
}
