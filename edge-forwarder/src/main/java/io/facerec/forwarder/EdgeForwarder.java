package io.facerec.forwarder;

import io.facerec.model.config.ConfigException;
import io.facerec.forwarder.config.AwsAccess;
import io.facerec.forwarder.config.ForwarderConfig;
import io.facerec.forwarder.config.StreamUrl;
import io.facerec.forwarder.control.ControlPoller;
import io.facerec.forwarder.ingest.CameraReader;
import io.facerec.forwarder.ingest.CameraStatus;
import io.facerec.forwarder.ops.ForwarderMetrics;
import io.facerec.forwarder.ops.OpsServer;
import io.facerec.forwarder.sampling.FrameSampler;
import io.facerec.forwarder.spool.FrameSpool;
import io.facerec.forwarder.upload.FrameUploader;
import io.facerec.forwarder.upload.S3Status;
import io.facerec.model.frame.FrameKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
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
    private final S3Status s3Status;
    private volatile boolean stopping;
    private ControlPoller control;

    public EdgeForwarder(ForwarderConfig config, S3Client s3, Clock clock) throws IOException {
        this.metrics = new ForwarderMetrics();
        this.s3Status = new S3Status(s3, clock);
        checkCredentials(s3Status, config);
        checkBucket(s3, config.bucket());
        try {
            this.spool = new FrameSpool(config.spoolDir(), config.spoolMaxBytes(), config.spoolMaxAge(), clock,
                    k -> metrics.dropped(k.cameraId(), "spool_evicted"));
        } catch (IOException e) {
            throw new StartupException("SPOOL_DIR " + config.spoolDir() + " cannot be used: " + StartupException.reason(e, config.spoolDir()), 2);
        }
        metrics.spoolGauges(spool::bytes, spool::depth);
        Semaphore slots = new Semaphore(config.uploadConcurrency());
        CameraReader.Settings readerSettings = new CameraReader.Settings(config.stallTimeout(), config.reconnectMax(),
                config.backoffResetAfter(), config.maxFrameBytes());
        for (Map.Entry<String, StreamUrl> cam : config.cameras().entrySet()) {
            String id = cam.getKey();
            CameraStatus status = new CameraStatus(id, clock.millis());
            statuses.add(status);
            FrameSampler sampler = new FrameSampler(config.sampleFps(), config.motionThreshold(), config.keepAlive(),
                    config.downscale(), config.jpegQuality(), config.maxFramePixels());
            AtomicLong seq = new AtomicLong();
            CameraReader reader = new CameraReader(id, cam.getValue(), readerSettings,
                    (jpeg, at) -> {
                        FrameSampler.Result r = sampler.offer(jpeg, at);
                        switch (r.decision()) {
                            case SAMPLED -> {
                                metrics.sampled(id);
                                try {
                                    spool.put(new FrameKey(id, at, seq.getAndIncrement()), r.jpeg());
                                } catch (IOException e) {
                                    metrics.dropped(id, "spool_write_failed");
                                    LOG.error("camera {}: frame could not be spooled: {}", id, e.getMessage());
                                }
                            }
                            case CORRUPT -> metrics.dropped(id, "corrupt");
                            case TOO_LARGE -> metrics.dropped(id, "too_large");
                            case RATE_CAPPED -> metrics.dropped(id, "rate_cap");
                            case NO_MOTION -> metrics.dropped(id, "no_motion");
                        }
                    }, metrics, status, clock);
            readers.add(reader);
            uploaders.add(new FrameUploader(id, cam.getValue().withoutCredentials(), spool, s3, config.bucket(), slots,
                    metrics, clock, s3Status));
        }
        try {
            this.ops = new OpsServer(config.healthBind(), config.healthPort(), statuses, spool, s3Status, metrics,
                    new OpsServer.HealthRules(config.cameraDownAfter(), config.s3DownAfter()), clock);
        } catch (IOException e) {
            throw new StartupException("HEALTH_PORT " + config.healthPort() + " on " + config.healthBind().getHostAddress()
                    + " cannot be used: " + StartupException.reason(e), 1);
        }
        for (int i = 0; i < readers.size(); i++) {
            String id = statuses.get(i).cameraId();
            threads.add(start(readers.get(i), "reader-" + id, id, "reader"));
            threads.add(start(uploaders.get(i), "uploader-" + id, id, "uploader"));
        }
        if (!config.controlPoll().isZero()) {
            Map<String, CameraReader> byCamera = new java.util.LinkedHashMap<>();
            for (int i = 0; i < readers.size(); i++) {
                byCamera.put(statuses.get(i).cameraId(), readers.get(i));
            }
            control = new ControlPoller(s3, config.bucket(), config.controlPoll(), byCamera);
            threads.add(start(control, "control-poller", "-", "control poller"));
        }
        LOG.info("forwarding {} camera(s) to s3://{}/frames/ at up to {} frames/s each; health on {}:{}",
                config.cameras().size(), config.bucket(), config.sampleFps(), config.healthBind().getHostAddress(),
                ops.port());
    }

    /** No credentials at all is a configuration error, named as such rather than as an unreachable S3. */
    static void checkCredentials(S3Status s3, ForwarderConfig config) {
        s3.missingCredentials().ifPresent(why -> {
            throw new StartupException(why + " (looked in " + config.aws().source() + "): set AWS_ACCESS_KEY_ID and "
                    + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, in the environment or .env, or give the machine an "
                    + "instance role", 2);
        });
    }

    /** A missing bucket stops the start; an unreachable or forbidden one does not (frames spool). */
    static void checkBucket(S3Client s3, String bucket) {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            throw new StartupException("S3 bucket '" + bucket + "' does not exist: check S3_BUCKET", 2);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new StartupException("S3 bucket '" + bucket + "' does not exist: check S3_BUCKET", 2);
            }
            // 403: the put-only policy cannot see the bucket, which is fine
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            LOG.warn("S3 unreachable at start ({}): frames will be spooled until it is back", e.getClass().getSimpleName());
        }
    }

    /** Runs {@code r} on a daemon thread, starting it again whenever it ends by a throwable. */
    private Thread start(Runnable r, String name, String camera, String role) {
        Thread t = new Thread(() -> {
            while (!stopping) {
                try {
                    r.run();
                    return;
                } catch (Throwable e) {
                    metrics.threadRestart(camera, role);
                    StackTraceElement at = e.getStackTrace().length > 0 ? e.getStackTrace()[0] : null;
                    LOG.error("camera {}: {} failed ({} at {}); restarting it", camera, role, e.getClass().getName(), at);
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, name);
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

    public java.net.InetSocketAddress opsAddress() {
        return ops.address();
    }

    @Override
    public void close() {
        stopping = true;
        if (control != null) {
            control.stop();
        }
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

    /** The S3 client from the settings, AWS_* from .env included, with call and attempt timeouts. */
    public static S3Client s3Client(ForwarderConfig c) {
        var b = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.of(c.region()))
                .credentialsProvider(credentials(c.aws()))
                .overrideConfiguration(o -> o.apiCallTimeout(c.s3CallTimeout()).apiCallAttemptTimeout(c.s3AttemptTimeout()));
        // an S3-compatible server (an endpoint set) gets whole-body signing: S3Proxy answers some aws-chunked
        // (streaming-signed) PUTs before the client has written the last chunk, which fails ~8% of them
        c.s3Endpoint().ifPresent(e -> b.endpointOverride(e).forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()));
        return b.build();
    }

    static AwsCredentialsProvider credentials(AwsAccess aws) {
        if (aws.hasKeys()) {
            return StaticCredentialsProvider.create(aws.sessionToken().isPresent()
                    ? AwsSessionCredentials.create(aws.accessKeyId().get(), aws.secretAccessKey().get(), aws.sessionToken().get())
                    : AwsBasicCredentials.create(aws.accessKeyId().get(), aws.secretAccessKey().get()));
        }
        if (aws.profile().isPresent() || aws.credentialsFile().isPresent() || aws.configFile().isPresent()) {
            var files = ProfileFile.aggregator();
            aws.configFile().or(() -> Optional.of(Path.of(System.getProperty("user.home"), ".aws", "config")))
                    .filter(Files::isRegularFile)
                    .ifPresent(f -> files.addFile(ProfileFile.builder().content(f).type(ProfileFile.Type.CONFIGURATION).build()));
            aws.credentialsFile().or(() -> Optional.of(Path.of(System.getProperty("user.home"), ".aws", "credentials")))
                    .filter(Files::isRegularFile)
                    .ifPresent(f -> files.addFile(ProfileFile.builder().content(f).type(ProfileFile.Type.CREDENTIALS).build()));
            return ProfileCredentialsProvider.builder().profileFile(files.build())
                    .profileName(aws.profile().orElse("default")).build();
        }
        return DefaultCredentialsProvider.builder().build();
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
        } catch (IOException e) {
            System.err.println("edge-forwarder: cannot read the settings: " + StartupException.reason(e));
            System.exit(2);
            return;
        }
        EdgeForwarder f;
        try {
            f = new EdgeForwarder(config, s3Client(config), Clock.systemUTC());
        } catch (StartupException e) {
            System.err.println("edge-forwarder: " + e.getMessage());
            System.exit(e.exitStatus());
            return;
        } catch (IOException | RuntimeException e) {
            // anything else at start: one line, the cause named, no stack trace (it may quote settings)
            System.err.println("edge-forwarder: cannot start: " + e.getClass().getSimpleName()
                    + (e instanceof IOException io ? ": " + StartupException.reason(io) : ""));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(f::close, "shutdown"));
        Thread.currentThread().join();
    }
}
