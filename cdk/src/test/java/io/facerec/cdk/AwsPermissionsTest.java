package io.facerec.cdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.cdk.IamPolicy.Permission;
import io.facerec.loopback.sdkcalls.RecordedCall;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SDK calls, as the recorder writes them, to what IAM requires of them. */
class AwsPermissionsTest {
    static final AwsPermissions IAM = new AwsPermissions("us-east-1", "123456789012");

    static RecordedCall call(String service, String operation, String request, int status, String errorCode) throws Exception {
        return RecordedCall.parse("{\"role\":\"r\",\"source\":\"t\",\"settings\":{},\"service\":\"" + service + "\",\"operation\":\""
                + operation + "\",\"request\":" + request + ",\"status\":" + status + ",\"errorCode\":"
                + (errorCode == null ? "null" : "\"" + errorCode + "\"") + "}");
    }

    static List<Permission> required(String service, String operation, String request) throws Exception {
        return IAM.required(call(service, operation, request, 200, null));
    }

    static Permission p(String action, String resource) {
        return new Permission(action, resource, Map.of());
    }

    @Test
    void readingAnObjectByVersionNeedsGetObjectVersionAndByKeyGetObject() throws Exception {
        assertEquals(List.of(p("s3:GetObjectVersion", "arn:aws:s3:::b/frames/1.jpg")),
                required("S3", "GetObject", "{\"Bucket\":\"b\",\"Key\":\"frames/1.jpg\",\"VersionId\":\"v1\"}"));
        assertEquals(List.of(p("s3:GetObject", "arn:aws:s3:::b/frames/1.jpg")),
                required("S3", "GetObject", "{\"Bucket\":\"b\",\"Key\":\"frames/1.jpg\",\"IfMatch\":\"\\\"e1\\\"\"}"));
    }

    @Test
    void headObjectNeedsGetObject() throws Exception {
        assertEquals(List.of(p("s3:GetObject", "arn:aws:s3:::b/gallery/labels.json")),
                required("S3", "HeadObject", "{\"Bucket\":\"b\",\"Key\":\"gallery/labels.json\"}"));
    }

    @Test
    void aMissingObjectAnswered404NeedsListBucketWithoutAPrefix() throws Exception {
        assertEquals(List.of(p("s3:GetObject", "arn:aws:s3:::b/gallery/encodings.npy"), p("s3:ListBucket", "arn:aws:s3:::b")),
                IAM.required(call("S3", "HeadObject", "{\"Bucket\":\"b\",\"Key\":\"gallery/encodings.npy\"}", 404, "NoSuchKey")));
    }

    @Test
    void listingNeedsListBucketOnTheBucketWithThePrefixAsConditionKey() throws Exception {
        assertEquals(List.of(new Permission("s3:ListBucket", "arn:aws:s3:::b", Map.of("s3:prefix", "enroll/ana/", "s3:delimiter", "/"))),
                required("S3", "ListObjectsV2", "{\"Bucket\":\"b\",\"Prefix\":\"enroll/ana/\",\"Delimiter\":\"/\"}"));
        assertEquals(List.of(p("s3:ListBucket", "arn:aws:s3:::b")), required("S3", "HeadBucket", "{\"Bucket\":\"b\"}"));
    }

    @Test
    void aConditionalPutNeedsPutObjectAndCarriesItsCondition() throws Exception {
        assertEquals(List.of(new Permission("s3:PutObject", "arn:aws:s3:::b/gallery/labels.json", Map.of("s3:if-none-match", "*"))),
                required("S3", "PutObject", "{\"Bucket\":\"b\",\"Key\":\"gallery/labels.json\",\"IfNoneMatch\":\"*\"}"));
        assertEquals(List.of(p("s3:PutObject", "arn:aws:s3:::b/a.jpg"), p("s3:PutObjectTagging", "arn:aws:s3:::b/a.jpg")),
                required("S3", "PutObject", "{\"Bucket\":\"b\",\"Key\":\"a.jpg\",\"Tagging\":\"k=v\"}"));
    }

    @Test
    void deleteObjectsNeedsADeletePermissionPerKey() throws Exception {
        assertEquals(List.of(p("s3:DeleteObject", "arn:aws:s3:::b/frames/1.jpg"), p("s3:DeleteObjectVersion", "arn:aws:s3:::b/frames/2.jpg")),
                required("S3", "DeleteObjects", "{\"Bucket\":\"b\",\"Delete\":{\"Objects\":[{\"Key\":\"frames/1.jpg\"},"
                        + "{\"Key\":\"frames/2.jpg\",\"VersionId\":\"v2\"}]}}"));
    }

    @Test
    void multipartUploadsRestoresAndCopies() throws Exception {
        for (String op : List.of("CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload")) {
            assertEquals(List.of(p("s3:PutObject", "arn:aws:s3:::b/archive/x")),
                    required("S3", op, "{\"Bucket\":\"b\",\"Key\":\"archive/x\",\"UploadId\":\"u\"}"), op);
        }
        assertEquals(List.of(p("s3:AbortMultipartUpload", "arn:aws:s3:::b/archive/x")),
                required("S3", "AbortMultipartUpload", "{\"Bucket\":\"b\",\"Key\":\"archive/x\",\"UploadId\":\"u\"}"));
        assertEquals(List.of(p("s3:RestoreObject", "arn:aws:s3:::b/frames/1.jpg")),
                required("S3", "RestoreObject", "{\"Bucket\":\"b\",\"Key\":\"frames/1.jpg\"}"));
        assertEquals(List.of(p("s3:PutObject", "arn:aws:s3:::b/archive/1.jpg"), p("s3:GetObjectVersion", "arn:aws:s3:::b/frames/1 a.jpg")),
                required("S3", "CopyObject", "{\"Bucket\":\"b\",\"Key\":\"archive/1.jpg\",\"CopySource\":\"b/frames/1%20a.jpg?versionId=v\"}"));
    }

    @Test
    void dynamoDbCallsNeedTheTableOrTheIndexArn() throws Exception {
        String table = "arn:aws:dynamodb:us-east-1:123456789012:table/results";
        assertEquals(List.of(p("dynamodb:PutItem", table)), required("DynamoDb", "PutItem", "{\"TableName\":\"results\",\"Item\":[\"pk\"]}"));
        assertEquals(List.of(p("dynamodb:Query", table + "/index/byPerson")),
                required("DynamoDb", "Query", "{\"TableName\":\"results\",\"IndexName\":\"byPerson\"}"));
        assertEquals(List.of(p("dynamodb:GetItem", table)), required("DynamoDb", "GetItem", "{\"TableName\":\"results\"}"));
        assertEquals(List.of(p("dynamodb:BatchWriteItem", table)),
                required("DynamoDb", "BatchWriteItem", "{\"RequestItems\":[\"results\"]}"));
    }

    @Test
    void aSecretIsReadOnItsArn() throws Exception {
        String arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:hook-AbC123";
        assertEquals(List.of(p("secretsmanager:GetSecretValue", arn)),
                required("SecretsManager", "GetSecretValue", "{\"SecretId\":\"" + arn + "\"}"));
    }

    @Test
    void anOperationWithoutATranslationIsNamed() throws Exception {
        var e = assertThrows(IllegalArgumentException.class,
                () -> required("S3", "SelectObjectContent", "{\"Bucket\":\"b\",\"Key\":\"k\"}"));
        assertTrue(e.getMessage().startsWith("no IAM translation for S3 SelectObjectContent"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> required("Sqs", "SendMessage", "{}"));
    }

    @Test
    void callsOnWhatDoesNotExistAreRecognised() throws Exception {
        assertTrue(AwsPermissions.targetsNothing(call("S3", "GetObject", "{\"Bucket\":\"nope\",\"Key\":\"k\"}", 404, "NoSuchBucket")));
        assertTrue(!AwsPermissions.targetsNothing(call("S3", "GetObject", "{\"Bucket\":\"b\",\"Key\":\"k\"}", 404, "NoSuchKey")));
    }
}
