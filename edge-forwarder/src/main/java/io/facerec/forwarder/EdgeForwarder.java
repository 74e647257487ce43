package io.facerec.forwarder;

import io.facerec.model.config.ConfigException;
import io.facerec.forwarder.config.ForwarderConfig;
import io.facerec.forwarder.ingest.CameraReader;
import io.facerec.forwarder.ingest.CameraStatus;
import io.facerec.forwarder.ops.ForwarderMetrics;
import io.facerec.forwarder.ops.OpsServer;
import io.facerec.forwarder.sampling.FrameSampler;
import io.facerec.forwarder.spool.FrameSpool;
import io.facerec.forwarder.upload.FrameUploader;
import io.facerec.model.frame.FrameKey;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The edge forwarder: for each camera a reader, a sampler and an uploader, sharing one on-disk
 * spool, plus /health and /metrics. {@link #close()} (SIGTERM) stops reading, lets the puts in
 * flight finish, and leaves the rest spooled for the next start.
 */
public final class EdgeForwarder implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(EdgeForwarder.class);

    private final List<CameraReader> readers = new ArrayList<>();
    private final List<FrameUploader> uploaders = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<CameraStatus> statuses = new ArrayList<>();
    private final FrameSpool spool;
    private final OpsServer ops;
    private final ForwarderMetrics metrics;

    public EdgeForwarder(ForwarderConfig config, S3Client s3, Clock clock) throws IOException {
        this.metrics = new ForwarderMetrics();
        checkBucket(s3, config.bucket());
        this.spool = new FrameSpool(config.spoolDir(), config.spoolMaxBytes(), config.spoolMaxAge(), clock,
                n -> metrics.dropped("all", "spool_evicted"));
        metrics.spoolGauges(spool::bytes, spool::depth);
        Semaphore slots = new Semaphore(config.uploadConcurrency());
        for (Map.Entry<String, URI> cam : config.cameras().entrySet()) {
            String id = cam.getKey();
            CameraStatus status = new CameraStatus(id, clock.millis());
            statuses.add(status);
            FrameSampler sampler = new FrameSampler(config.sampleFps(), config.motionThreshold(), config.keepAlive(),
                    config.downscale(), config.jpegQuality());
            AtomicLong seq = new AtomicLong();
            CameraReader reader = new CameraReader(id, cam.getValue(), config.stallTimeout(), config.reconnectMax(),
                    (jpeg, at) -> {
                        FrameSampler.Result r = sampler.offer(jpeg, at);
                        switch (r.decision()) {
                            case SAMPLED -> {
                                metrics.sampled(id);
                                try {
                                    spool.put(new FrameKey(id, at, seq.getAndIncrement()), r.jpeg());
                                } catch (IOException e) {
                                    metrics.dropped(id, "spool_write_failed");
                                    LOG.error("camera {}: frame could not be spooled: {}", id, e.toString());
                                }
                            }
                            case CORRUPT -> metrics.dropped(id, "corrupt");
                            case RATE_CAPPED -> metrics.dropped(id, "rate_cap");
                            case NO_MOTION -> metrics.dropped(id, "no_motion");
                        }
                    }, metrics, status, clock);
            readers.add(reader);
            uploaders.add(new FrameUploader(id, spool, s3, config.bucket(), slots, metrics, clock));
        }
        this.ops = new OpsServer(config.healthPort(), statuses, spool, metrics, config.cameraDownAfter(), clock);
        for (int i = 0; i < readers.size(); i++) {
            String id = statuses.get(i).cameraId();
            threads.add(start(readers.get(i), "reader-" + id));
            threads.add(start(uploaders.get(i), "uploader-" + id));
        }
        LOG.info("forwarding {} camera(s) to s3://{}/frames/ at up to {} frames/s each; health on :{}",
                config.cameras().size(), config.bucket(), config.sampleFps(), ops.port());
    }

    /** A missing bucket stops the start; an unreachable or forbidden one does not (frames spool). */
    static void checkBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            throw new IllegalStateException("S3 bucket '" + bucket + "' does not exist: check S3_BUCKET");
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new IllegalStateException("S3 bucket '" + bucket + "' does not exist: check S3_BUCKET");
            }
            // 403: the put-only policy cannot see the bucket, which is fine
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            LOG.warn("S3 unreachable at start ({}): frames will be spooled until it is back", e.getClass().getSimpleName());
        }
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    public FrameSpool spool() {
        return spool;
    }

    public ForwarderMetrics metrics() {
        return metrics;
    }

    public int opsPort() {
        return ops.port();
    }

    @Override
    public void close() {
        readers.forEach(CameraReader::stop);
        uploaders.forEach(FrameUploader::stop);
        for (Thread t : threads) {
            try {
                t.join(15_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ops.close();
        LOG.info("stopped; {} frames left in the spool for the next start", spool.depth());
    }

    public static S3Client s3Client(ForwarderConfig c) {
        var b = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(c.region()));
        c.s3Endpoint().ifPresent(e -> b.endpointOverride(e).forcePathStyle(true));
        return b.build();
    }

    public static void main(String[] args) throws Exception {
        ForwarderConfig config;
        try {
            String envFile = System.getenv().getOrDefault("FORWARDER_ENV_FILE", ".env");
            config = ForwarderConfig.load(System.getenv(), Path.of(envFile));
        } catch (ConfigException e) {
            System.err.println("edge-forwarder: " + e.getMessage());
            System.exit(2);
            return;
        }
        EdgeForwarder f;
        try {
            f = new EdgeForwarder(config, s3Client(config), Clock.systemUTC());
        } catch (IllegalStateException e) {
            System.err.println("edge-forwarder: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(f::close, "shutdown"));
        Thread.currentThread().join();
    }
}
