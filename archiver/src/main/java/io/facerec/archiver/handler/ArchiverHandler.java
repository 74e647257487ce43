package io.facerec.archiver.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.facerec.archiver.archive.Archiver;
import io.facerec.archiver.archive.RunSummary;
import io.facerec.archiver.metrics.ArchiverMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * The Lambda entry point, invoked by the EventBridge schedule (the event itself carries nothing the
 * run needs). Thin: work out the deadline, run, publish the figures. A run with a failed hour fails
 * the invocation after everything else was done, so the errors alarm fires; the next scheduled run
 * is the retry.
 */
public final class ArchiverHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
    /** Left for publishing the figures and returning after the last hour. */
    static final long SAFETY_MARGIN_MS = 10_000;

    private final Archiver archiver;
    private final Clock clock;

    /** Used by Lambda: settings and the S3 client are built once per container. */
    public ArchiverHandler() {
        this(Archiver.fromEnvironment(), Clock.systemUTC());
    }

    public ArchiverHandler(Archiver archiver, Clock clock) {
        this.archiver = archiver;
        this.clock = clock;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long remaining = context == null ? 900_000 : context.getRemainingTimeInMillis();
        Instant deadline = clock.instant().plusMillis(remaining - SAFETY_MARGIN_MS);
        RunSummary s = archiver.run(deadline);
        ArchiverMetrics.publish(s, clock.instant());
        if (s.hoursFailed() > 0) {
            throw new ArchiveRunFailedException(s.hoursFailed() + " hours could not be archived and stay in frames/: "
                    + s.errors());
        }
        return s.toMap();
    }

    /** Fails the invocation, for the errors alarm. */
    public static final class ArchiveRunFailedException extends RuntimeException {
        public ArchiveRunFailedException(String message) {
            super(message);
        }
    }
}
