package io.facerec.localstack;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * S3 event notifications as AWS delivers them to Lambda (eventVersion 2.1), for the same keys the
 * CDK stack subscribes: ObjectCreated for {@code frames/**.jpg} and {@code enroll/}, ObjectRemoved
 * for {@code enroll/}. Keys are URL-encoded as S3 encodes them ('+' for a space).
 */
public final class S3Events {
    private static final AtomicLong SEQUENCER = new AtomicLong(System.currentTimeMillis());

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

    public static String json(String eventName, String bucket, String key, long size, String etag) {
        String object = eventName.startsWith("ObjectRemoved")
                ? String.format(Locale.ROOT, "{\"key\":\"%s\",\"sequencer\":\"%016X\"}", encodeKey(key), SEQUENCER.incrementAndGet())
                : String.format(Locale.ROOT, "{\"key\":\"%s\",\"size\":%d,\"eTag\":\"%s\",\"sequencer\":\"%016X\"}",
                        encodeKey(key), size, etag == null ? "" : etag.replace("\"", ""), SEQUENCER.incrementAndGet());
        return "{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"awsRegion\":\"us-east-1\","
                + "\"eventTime\":\"" + Instant.now() + "\",\"eventName\":\"" + eventName + "\","
                + "\"userIdentity\":{\"principalId\":\"local\"},\"requestParameters\":{\"sourceIPAddress\":\"127.0.0.1\"},"
                + "\"responseElements\":{\"x-amz-request-id\":\"local\",\"x-amz-id-2\":\"local\"},"
                + "\"s3\":{\"s3SchemaVersion\":\"1.0\",\"configurationId\":\"local-stack\","
                + "\"bucket\":{\"name\":\"" + bucket + "\",\"ownerIdentity\":{\"principalId\":\"local\"},"
                + "\"arn\":\"arn:aws:s3:::" + bucket + "\"},\"object\":" + object + "}}]}";
    }
}
