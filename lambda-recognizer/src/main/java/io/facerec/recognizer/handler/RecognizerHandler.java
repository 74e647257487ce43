package io.facerec.recognizer.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Lambda entry point: S3 ObjectCreated/ObjectRemoved events for {@code frames/} and
 * {@code enroll/}. Thin: map the event, let {@link Recognizer} do the work, map the result. When a
 * record failed in a way another try may fix, the invocation fails (after every other record was
 * handled) so Lambda retries it and, in the end, sends it to the on-failure destination; records
 * already done are recognised on the retry and not repeated.
 */
public final class RecognizerHandler implements RequestHandler<S3Event, Map<String, Object>> {
    private final Recognizer recognizer;

    /** Used by Lambda: everything is built here, in the init phase (and captured by SnapStart). */
    public RecognizerHandler() {
        this(Recognizer.fromEnvironment());
    }

    public RecognizerHandler(Recognizer recognizer) {
        this.recognizer = recognizer;
    }

    @Override
    public Map<String, Object> handleRequest(S3Event event, Context context) {
        List<Recognizer.Record> records = new ArrayList<>();
        if (event != null && event.getRecords() != null) {
            for (S3EventNotification.S3EventNotificationRecord r : event.getRecords()) {
                if (r == null || r.getS3() == null || r.getS3().getObject() == null || r.getS3().getBucket() == null) {
                    continue;
                }
                var o = r.getS3().getObject();
                records.add(new Recognizer.Record(String.valueOf(r.getEventName()), r.getS3().getBucket().getName(),
                        o.getKey(), blankToNull(o.getVersionId()), blankToNull(o.geteTag()), blankToNull(o.getSequencer()),
                        o.getSizeAsLong() == null ? 0 : o.getSizeAsLong()));
            }
        }
        long remaining = context == null ? 60_000 : context.getRemainingTimeInMillis();
        Recognizer.Summary s = recognizer.handle(records, remaining);
        if (!s.retryable().isEmpty()) {
            throw new RetryableFailureException(s.retryable().size() + " of " + records.size()
                    + " records failed and will be retried: " + s.retryable());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("frames", s.frames());
        out.put("duplicates", s.duplicates());
        out.put("errors", s.errors());
        out.put("enrolments", s.enrolments());
        out.put("skipped", s.skipped());
        return out;
    }

    /** Unversioned buckets send no versionId, the console's test event an empty one. */
    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Makes Lambda retry the event. */
    public static final class RetryableFailureException extends RuntimeException {
        public RetryableFailureException(String message) {
            super(message);
        }
    }
}
