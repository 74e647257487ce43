package io.facerec.forwarder.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/** The forwarder's counters, in Prometheus text format at /metrics. */
public final class ForwarderMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    public void read(String camera) {
        counter("forwarder_frames_read", camera).increment();
    }

    public void sampled(String camera) {
        counter("forwarder_frames_sampled", camera).increment();
    }

    public void dropped(String camera, String reason) {
        Counter.builder("forwarder_frames_dropped").tag("camera", camera).tag("reason", reason)
                .description("frames not uploaded, by reason").register(registry).increment();
    }

    public void uploaded(String camera, Duration cameraToS3) {
        counter("forwarder_frames_uploaded", camera).increment();
        Timer.builder("forwarder_upload_latency").tag("camera", camera)
                .description("from the frame's arrival to S3 confirming its put")
                .publishPercentiles(0.5, 0.95).publishPercentileHistogram(false)
                .register(registry).record(cameraToS3);
    }

    public void uploadFailed(String camera) {
        counter("forwarder_upload_failures", camera).increment();
    }

    public void reconnect(String camera) {
        counter("forwarder_reconnects", camera).increment();
    }

    /** A camera's reader threw something other than a stream failure and was started again. */
    public void readerRestart(String camera) {
        counter("forwarder_reader_restarts", camera).increment();
    }

    /** A reader or uploader thread ended by a throwable and was started again. */
    public void threadRestart(String camera, String role) {
        Counter.builder("forwarder_thread_restarts").tag("camera", camera).tag("role", role)
                .description("reader or uploader threads restarted after a failure").register(registry).increment();
    }

    public double droppedCount(String camera, String reason) {
        var c = registry.find("forwarder_frames_dropped").tag("camera", camera).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }

    public void spoolGauges(Supplier<Number> bytes, Supplier<Number> frames) {
        Gauge.builder("forwarder_spool_bytes", bytes).register(registry);
        Gauge.builder("forwarder_spool_frames", frames).register(registry);
    }

    public double count(String name, String camera) {
        var c = registry.find(name).tag("camera", camera).counter();
        return c == null ? 0 : c.count();
    }

    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String camera) {
        return Counter.builder(name).tag("camera", camera).register(registry);
    }
}
