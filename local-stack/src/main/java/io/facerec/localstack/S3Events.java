package io.facerec.localstack;

import io.facerec.loopback.S3VersionIds;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * S3 event notifications as AWS delivers them to Lambda (eventVersion 2.1) from a versioned bucket,
 * for the same keys the CDK stack subscribes: ObjectCreated for {@code frames/**.jpg} and
 * {@code enroll/}, ObjectRemoved for {@code enroll/}. Keys are URL-encoded as S3 encodes them ('+'
 * for a space). A created object carries size, eTag (unquoted), versionId and sequencer; a delete,
 * which on a versioned bucket only adds a delete marker, carries the marker's versionId and a
 * sequencer.
 */
public final class S3Events {
    private S3Events() {
    }

    public static boolean subscribed(String key, boolean created) {
        if (key.startsWith("enroll/")) {
            return true;
        }
        return created && key.startsWith("frames/") && key.endsWith(".jpg");
    }

    public static String encodeKey(String key) {
        return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
    }

    public static String created(String eventName, String bucket, String key, long size, String eTag, String versionId) {
        return record(eventName, bucket, "{\"key\":\"" + encodeKey(key) + "\",\"size\":" + size + ",\"eTag\":\""
                + eTag.replace("\"", "") + "\",\"versionId\":\"" + versionId + "\",\"sequencer\":\""
                + S3VersionIds.nextSequencer() + "\"}");
    }

    public static String deleteMarkerCreated(String bucket, String key, String markerVersionId) {
        return record("ObjectRemoved:DeleteMarkerCreated", bucket, "{\"key\":\"" + encodeKey(key) + "\",\"versionId\":\""
                + markerVersionId + "\",\"sequencer\":\"" + S3VersionIds.nextSequencer() + "\"}");
    }

    private static String record(String eventName, String bucket, String object) {
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"" + Instant.now() + "\",\"eventName\":\"" + eventName + "\","
                + "\"userIdentity\":{\"principalId\":\"local\"},\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"},"
                + "\"responseElements\":{\"x-amz-request-id\":\"local\",\"x-amz-id-2\":\"local\"},"
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"local-stack\","
                + "\"bucket\":{\"name\":\"" + bucket + "\",\"ownerIdentity\":{\"principalId\":\"local\"},"
                + "\"arn\":\"arn:aws:s3:::" + bucket + "\"},\"object\":" + object + "}}]}";
    }
}
