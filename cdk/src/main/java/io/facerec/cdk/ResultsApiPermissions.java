package io.facerec.cdk;

import io.facerec.model.control.ControlState;
import io.facerec.model.result.ResultKeys;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.dynamodb.ITable;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.logs.ILogGroup;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.secretsmanager.ISecret;

/**
 * Every permission of the results API, in one place (iam-policies/results-api-policy.json holds the
 * same document, and a test keeps them equal). It reads through the two indexes and two items, and
 * writes one item, one object and the enrolment folder: nothing it does needs more.
 */
public final class ResultsApiPermissions {
    /** The forwarder's copy of the control record. */
    public static final String CONTROL_OBJECT = ControlState.S3_KEY;

    private ResultsApiPermissions() {
    }

    public static List<PolicyStatement> resultsApi(IBucket bucket, ITable table, ISecret apiKey, ILogGroup logs) {
        return List.of(
                RecognizerPermissions.allow("WriteOwnLogs", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                        List.of(logs.getLogGroupArn())),
                // /stats and /status read two items: the counters and the control record
                leadingKeys("ReadCountersAndControlRecord", List.of("dynamodb:GetItem"), table.getTableArn(),
                        List.of(ResultKeys.STATS_PK, ControlState.PK)),
                RecognizerPermissions.allow("QueryResultIndexes", List.of("dynamodb:Query"),
                        List.of(table.getTableArn() + "/index/" + ResultKeys.BY_DAY,
                                table.getTableArn() + "/index/" + ResultKeys.BY_PERSON)),
                // start, stop and config write the control record and nothing else of the table
                leadingKeys("WriteControlRecordOnly", List.of("dynamodb:PutItem"), table.getTableArn(),
                        List.of(ControlState.PK)),
                RecognizerPermissions.allow("MirrorControlRecordForTheForwarder", List.of("s3:PutObject"),
                        List.of(bucket.arnForObjects(CONTROL_OBJECT))),
                RecognizerPermissions.allow("RegisterIntoEnrolment", List.of("s3:PutObject"),
                        List.of(bucket.arnForObjects(RecognizerPermissions.ENROLL + "*"))),
                RecognizerPermissions.allow("ReadApiKey", List.of("secretsmanager:GetSecretValue"),
                        List.of(apiKey.getSecretArn())));
    }

    /** Allowed only on items whose partition key is one of {@code keys}. */
    static PolicyStatement leadingKeys(String sid, List<String> actions, String tableArn, List<String> keys) {
        return PolicyStatement.Builder.create().sid(sid).effect(Effect.ALLOW).actions(actions).resources(List.of(tableArn))
                .conditions(Map.of("ForAllValues:StringEquals", Map.of("dynamodb:LeadingKeys", keys))).build();
    }
}
