package io.facerec.recognizer.handler;

import io.facerec.model.gallery.GalleryFormatException;
import io.facerec.recognizer.announce.AnnouncementPlan;
import io.facerec.recognizer.announce.Announcer;
import io.facerec.recognizer.aws.AwsClients;
import io.facerec.recognizer.aws.RenewableHttpClient;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.control.ControlStateReader;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.enrolment.EnrolmentService;
import io.facerec.recognizer.gallery.GalleryCache;
import io.facerec.recognizer.gallery.S3GallerySource;
import io.facerec.recognizer.metrics.RecognizerMetrics;
import io.facerec.recognizer.recognition.FrameService;
import io.facerec.recognizer.results.ResultStore;
import io.facerec.recognizer.track.TrackStore;
import io.facerec.recognizer.track.Tracker;
import io.facerec.recognizer.track.Tracking;
import io.facerec.recognizer.unknown.FaceCrops;
import io.facerec.recognizer.unknown.UnknownClusters;
import io.facerec.recognizer.webhook.Jitter;
import io.facerec.recognizer.webhook.WebhookCredentials;
import io.facerec.recognizer.webhook.WebhookSender;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Everything one container needs, built once at init (models loaded and primed, gallery read,
 * secret fetched), and the routing of S3 records to frame recognition or enrolment.
 */
public final class Recognizer {
    private static final Logger LOG = LogManager.getLogger(Recognizer.class);
    static final long SAFETY_MARGIN_MS = 1500;

    private final FrameService frames;
    private final EnrolmentService enrolment;
    private final SnapStartHooks hooks;

    public Recognizer(FrameService frames, EnrolmentService enrolment, SnapStartHooks hooks) {
        this.frames = frames;
        this.enrolment = enrolment;
        this.hooks = hooks;
    }

    /** The production wiring: configuration from the environment, real AWS clients, SnapStart hooks registered. */
    public static Recognizer fromEnvironment() {
        RecognizerConfig config = RecognizerConfig.fromEnvironment();
        AwsClients.Timeouts t = config.awsTimeouts();
        RenewableHttpClient awsHttp = AwsClients.http(t);
        Recognizer r = create(config, AwsClients.s3(config.s3Endpoint(), t, awsHttp),
                AwsClients.dynamoDb(config.dynamoDbEndpoint(), t, awsHttp),
                WebhookCredentials.from(() -> AwsClients.secrets(config.secretsManagerEndpoint(), t, awsHttp)),
                Clock.systemUTC(), Optional.of(awsHttp));
        r.hooks.register();
        return r;
    }

    public static Recognizer create(RecognizerConfig config, S3Client s3, DynamoDbClient ddb,
                                    Function<String, String> secretsManager, Clock clock) {
        return create(config, s3, ddb, secretsManager, clock, Optional.empty());
    }

    /** {@code awsHttp}: the HTTP client behind {@code s3} and {@code ddb}, renewed after a SnapStart restore. */
    static Recognizer create(RecognizerConfig config, S3Client s3, DynamoDbClient ddb,
                             Function<String, String> secretsManager, Clock clock, Optional<RenewableHttpClient> awsHttp) {
        LOG.info("starting with {}", config);
        FaceEngine engine;
        try {
            engine = FaceEngine.load(config.engine(), config.modelsDir().orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException("face models could not be loaded: " + e.getMessage(), e);
        }
        S3GallerySource source = new S3GallerySource(s3, config.galleryBucket(), config.galleryPrefix(),
                config.maxGalleryBytes());
        GalleryCache cache = new GalleryCache(source, config, clock);
        cache.current(); // read at init, so the first frame does not pay for it (and SnapStart keeps it)
        ResultStore store = new ResultStore(ddb, config.resultsTable(), config.resultTtlDays());
        Optional<WebhookCredentials> credentials = WebhookCredentials.from(config, secretsManager, System::nanoTime);
        credentials.ifPresent(c -> {
            c.bearer(); // read at init: a secret that cannot be read stops the start, not the first frame
            c.signer();
        });
        Jitter jitter = new Jitter();
        Optional<WebhookSender> webhook = credentials.map(c -> new WebhookSender(
                () -> HttpClient.newBuilder().connectTimeout(config.webhookTimeout())
                        .followRedirects(HttpClient.Redirect.NEVER).build(),
                config.webhookUrl().orElseThrow(), c, config.webhookTimeout(), config.webhookMaxAttempts(), jitter));
        Optional<Announcer> announcer = webhook.map(w -> new Announcer(store, w,
                new AnnouncementPlan(config.webhookSendUnknown(), config.appCameraIds()), config.webhookCooldown(), clock));
        Tracking tracking = new Tracking(new Tracker(new TrackStore(ddb, config.resultsTable(), clock), config.tracks(), jitter),
                new FaceCrops(s3, config.galleryBucket(), new io.facerec.recognizer.image.ImageDecoder()),
                new UnknownClusters(ddb, config.resultsTable(), Duration.ofDays(config.unknownTtlDays()), clock));
        FrameService frames = new FrameService(s3, engine, cache, store, tracking, announcer, config.maxFrameBytes(), clock,
                new ControlStateReader(ddb, config.resultsTable(), config.controlRefresh(), clock));
        EnrolmentService enrol = new EnrolmentService(s3, engine, source, cache, store, config.maxFrameBytes(), clock);
        return new Recognizer(frames, enrol, new SnapStartHooks(jitter, credentials, webhook, cache, awsHttp));
    }

    /**
     * One S3 event record, as the handler passes it on: the key still URL-encoded; versionId, eTag
     * (unquoted) and sequencer as a versioned bucket sends them, null when absent.
     */
    public record Record(String eventName, String bucket, String encodedKey, String versionId, String eTag,
                         String sequencer, long size) {
    }

    /** Counts per outcome, and the records that deserve a retry of the whole event. */
    public record Summary(int frames, int duplicates, int errors, int enrolments, int skipped, List<String> retryable) {
    }

    /** The SnapStart hooks of this container (registered by {@link #fromEnvironment()}). */
    public SnapStartHooks hooks() {
        return hooks;
    }

    public Summary handle(List<Record> records, long remainingMillis) {
        long deadline = System.currentTimeMillis() + remainingMillis - SAFETY_MARGIN_MS;
        RecognizerMetrics metrics = new RecognizerMetrics();
        int frameCount = 0;
        int dups = 0;
        int errors = 0;
        int enrolled = 0;
        int skipped = 0;
        List<String> retry = new ArrayList<>();
        try {
            for (Record r : records) {
                if (r.encodedKey() == null || r.encodedKey().isEmpty() || r.bucket() == null || r.bucket().isEmpty()) {
                    LOG.warn("record skipped: {} names no {}", r.eventName(),
                            r.bucket() == null || r.bucket().isEmpty() ? "bucket" : "object key");
                    skipped++;
                    continue;
                }
                String key;
                try {
                    key = decodeKey(r.encodedKey());
                } catch (IllegalArgumentException e) {
                    LOG.warn("record skipped: key '{}' is not valid URL encoding", r.encodedKey());
                    skipped++;
                    continue;
                }
                try {
                    Optional<String> person = EnrolmentService.personOf(key);
                    if (person.isPresent() && (r.eventName().startsWith("ObjectCreated")
                            || r.eventName().startsWith("ObjectRemoved"))) {
                        enrolment.rebuild(r.bucket(), key, deadline);
                        enrolled++;
                    } else if (isFrame(key) && r.eventName().startsWith("ObjectCreated")) {
                        switch (frames.process(new FrameService.FrameObject(r.bucket(), key, r.eTag(), r.versionId(), r.size()),
                                deadline, metrics)) {
                            case RECORDED -> frameCount++;
                            case DUPLICATE, RESUMED -> dups++;
                            case DELIVERIES_PENDING -> {
                                frameCount++;
                                retry.add(key + ": webhook deliveries pending");
                            }
                            case RECORDED_WITH_ERROR -> errors++;
                            case SKIPPED -> skipped++;
                        }
                    } else {
                        LOG.info("record skipped: {} s3://{}/{} is neither a frame (frames/**.jpg) nor an enrolment "
                                + "photo (enroll/<name>/...)", r.eventName(), r.bucket(), key);
                        skipped++;
                    }
                } catch (SdkException | IllegalStateException e) {
                    // S3, DynamoDB or a gallery conflict: worth another try of the whole event
                    LOG.error("s3://{}/{} failed and will be retried: {}", r.bucket(), key, e.toString());
                    retry.add(key + ": " + e.getClass().getSimpleName());
                } catch (GalleryFormatException e) {
                    LOG.error("enrolment from s3://{}/{} cannot update the gallery: {}", r.bucket(), key, e.getMessage());
                    errors++;
                }
            }
        } finally {
            metrics.count("RetryableFailures", retry.size());
            metrics.flush();
        }
        return new Summary(frameCount, dups, errors, enrolled, skipped, List.copyOf(retry));
    }

    /** S3 event keys are URL-encoded with '+' for a space. */
    public static String decodeKey(String encoded) {
        return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    }

    static boolean isFrame(String key) {
        String k = key.toLowerCase(Locale.ROOT);
        return key.startsWith("frames/") && (k.endsWith(".jpg") || k.endsWith(".jpeg"));
    }

}
