package io.facerec.loopback;

import io.facerec.model.result.ResultKeys;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The results table as {@link ResultKeys} describes it, for servers that are not provisioned by CDK
 * (the local stack, the tests). The CDK stack declares the same keys and indexes.
 */
public final class ResultTableSchema {
    private ResultTableSchema() {
    }

    public static CreateTableRequest createRequest(String table) {
        return CreateTableRequest.builder().tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(attr(ResultKeys.PK), attr(ResultKeys.SK), attr(ResultKeys.DAY_PK),
                        attr(ResultKeys.DAY_SK), attr(ResultKeys.PERSON_PK), attr(ResultKeys.PERSON_SK))
                .keySchema(key(ResultKeys.PK, KeyType.HASH), key(ResultKeys.SK, KeyType.RANGE))
                .globalSecondaryIndexes(gsi(ResultKeys.BY_DAY, ResultKeys.DAY_PK, ResultKeys.DAY_SK),
                        gsi(ResultKeys.BY_PERSON, ResultKeys.PERSON_PK, ResultKeys.PERSON_SK))
                .build();
    }

    /** Creates the table unless it exists, and waits until it is active. */
    public static void ensure(DynamoDbClient ddb, String table) {
        try {
            ddb.createTable(createRequest(table));
        } catch (ResourceInUseException e) {
            // already there: a second start reuses it
        }
        // poll briefly: the SDK waiter's first retry comes after 20 s, dynalite is ready in under one
        for (int i = 0; i < 300; i++) {
            if (ddb.describeTable(b -> b.tableName(table)).table().tableStatus()
                    == software.amazon.awssdk.services.dynamodb.model.TableStatus.ACTIVE) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("table " + table + " did not become active");
    }

    private static AttributeDefinition attr(String name) {
        return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
    }

    private static KeySchemaElement key(String name, KeyType type) {
        return KeySchemaElement.builder().attributeName(name).keyType(type).build();
    }

    private static GlobalSecondaryIndex gsi(String name, String pk, String sk) {
        return GlobalSecondaryIndex.builder().indexName(name)
                .keySchema(key(pk, KeyType.HASH), key(sk, KeyType.RANGE))
                .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build();
    }
}
