package io.facerec.recognizer.handler;

import com.amazonaws.services.lambda.runtime.events.S3Event;

/** S3 events for the benchmarks, built the same way the integration tests build them. */
public final class BenchEvents {
    private BenchEvents() {
    }

    public static S3Event created(String bucket, String key, long size) throws Exception {
        return RecognizerHandlerIntegrationTest.event("object-created.json", bucket, key, size);
    }
}
