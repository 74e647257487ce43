package io.facerec.recognizer.metrics;

import software.amazon.cloudwatchlogs.emf.config.EnvironmentConfigurationProvider;
import software.amazon.cloudwatchlogs.emf.environment.Environments;
import software.amazon.cloudwatchlogs.emf.logger.MetricsLogger;
import software.amazon.cloudwatchlogs.emf.model.DimensionSet;
import software.amazon.cloudwatchlogs.emf.model.Unit;

/**
 * CloudWatch Embedded Metric Format, one record per invocation: frames, faces, matches, unknowns,
 * per-stage latency and webhook outcomes, in namespace {@value #NAMESPACE}.
 */
public final class RecognizerMetrics {
    public static final String NAMESPACE = "FaceRec";

    static {
        // outside Lambda, write to stdout instead of probing for a CloudWatch agent
        if (System.getenv("AWS_LAMBDA_FUNCTION_NAME") == null) {
            EnvironmentConfigurationProvider.getConfig().setEnvironmentOverride(Environments.Local);
        }
    }

    private final MetricsLogger emf = new MetricsLogger();

    public RecognizerMetrics() {
        emf.setNamespace(NAMESPACE);
        emf.setDimensions(DimensionSet.of("Service", "recognizer"));
    }

    public void count(String name, double value) {
        emf.putMetric(name, value, Unit.COUNT);
    }

    public void millis(String name, double value) {
        emf.putMetric(name, value, Unit.MILLISECONDS);
    }

    public void property(String name, Object value) {
        emf.putProperty(name, value);
    }

    public void flush() {
        emf.flush();
    }
}
