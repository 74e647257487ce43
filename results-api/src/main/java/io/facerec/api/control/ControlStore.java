package io.facerec.api.control;

import io.facerec.model.control.ControlState;
import io.facerec.model.result.ResultKeys;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The control record: the DynamoDB item the recognizer reads ({@code pk = CONTROL}, the only key
 * this API may write) and its copy at {@value ControlState#S3_KEY}, the one object the forwarder
 * may read. Writes are conditional on the revision read, so two concurrent changes never lose one.
 */
public final class ControlStore {
    private final DynamoDbClient ddb;
    private final S3Client s3;
    private final String table;
    private final String bucket;

    /** Another writer changed the record since it was read. */
    public static final class ConflictException extends RuntimeException {
        ConflictException() {
            super("control record changed concurrently", null, false, false);
        }
    }

    public ControlStore(DynamoDbClient ddb, S3Client s3, String table, String bucket) {
        this.ddb = ddb;
        this.s3 = s3;
        this.table = table;
        this.bucket = bucket;
    }

    public ControlState read() {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table).consistentRead(true).key(key()));
        AttributeValue json = r.hasItem() ? r.item().get(ControlState.ATTRIBUTE) : null;
        return json == null || json.s() == null ? ControlState.DEFAULT : ControlState.fromJson(json.s());
    }

    /** Writes {@code next} if the record is still at {@code next.revision() - 1}, then its S3 copy. */
    public void write(ControlState next) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key());
        item.put(ControlState.ATTRIBUTE, AttributeValue.fromS(next.toJsonString()));
        item.put("revision", AttributeValue.fromN(Long.toString(next.revision())));
        item.put("type", AttributeValue.fromS("control"));
        try {
            ddb.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(#pk) OR #rev = :prev")
                    .expressionAttributeNames(Map.of("#pk", ResultKeys.PK, "#rev", "revision"))
                    .expressionAttributeValues(Map.of(":prev", AttributeValue.fromN(Long.toString(next.revision() - 1)))));
        } catch (ConditionalCheckFailedException e) {
            throw new ConflictException();
        }
        s3.putObject(b -> b.bucket(bucket).key(ControlState.S3_KEY).contentType("application/json"),
                RequestBody.fromBytes(next.toJson()));
    }

    private static Map<String, AttributeValue> key() {
        return Map.of(ResultKeys.PK, AttributeValue.fromS(ControlState.PK), ResultKeys.SK, AttributeValue.fromS(ControlState.SK));
    }
}
