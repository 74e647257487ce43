package io.facerec.recognizer.handler;

import com.amazonaws.services.lambda.runtime.events.S3Event;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 events for the benchmarks, built the same way the integration tests build them. */
public final class BenchEvents {
    private BenchEvents() {
    }

    /** The ObjectCreated event of an object already in the bucket. */
    public static S3Event created(S3Client s3, String bucket, String key) throws Exception {
        return RecognizerHandlerIntegrationTest.createdFor(s3, bucket, key);
    }
}
