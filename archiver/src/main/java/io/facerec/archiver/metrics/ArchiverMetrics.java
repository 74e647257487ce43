package io.facerec.archiver.metrics;

import io.facerec.archiver.archive.RunSummary;
import java.time.Instant;
import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * One CloudWatch Embedded Metric Format record per run, in namespace {@value #NAMESPACE} with
 * {@code Service=archiver}. {@value #OLDEST_FRAME_AGE_HOURS} (0 when {@code frames/} is empty) is what
 * the overdue-frames alarm watches.
 */
public final class ArchiverMetrics {
    public static final String NAMESPACE = "FaceRec";
    public static final String SERVICE = "archiver";
    public static final String OLDEST_FRAME_AGE_HOURS = "OldestFrameAgeHours";

    static {
        // outside Lambda, write to stdout instead of probing for a CloudWatch agent
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null) {
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        }
    }

    private ArchiverMetrics() {
    }

    public static void publish(RunSummary s, Instant now) {
        MetricsLogger emf = new MetricsLogger();
        emf.setNamespace(NAMESPACE);
        emf.setDimensions(DimensionSet.of("Service", SERVICE));
        emf.putMetric("HoursArchived", s.hoursArchived(), Unit.COUNT);
        emf.putMetric("HoursFailed", s.hoursFailed(), Unit.COUNT);
        emf.putMetric("BundlesWritten", s.bundlesWritten(), Unit.COUNT);
        emf.putMetric("LateParts", s.lateParts(), Unit.COUNT);
        emf.putMetric("FramesArchived", s.framesArchived(), Unit.COUNT);
        emf.putMetric("FramesDeleted", s.framesDeleted(), Unit.COUNT);
        emf.putMetric("BytesArchived", s.bytesArchived(), Unit.BYTES);
        emf.putMetric("RunMs", s.millis(), Unit.MILLISECONDS);
        emf.putMetric(OLDEST_FRAME_AGE_HOURS, s.oldestFrameAge(now).map(d -> d.toMinutes() / 60.0).orElse(0.0),
                Unit.NONE);
        emf.putProperty("stoppedForTime", s.stoppedForTime());
        emf.putProperty("skippedKeys", s.skippedKeys());
        emf.flush();
    }
}
