package io.facerec.recognizer.recognition;

import io.facerec.model.control.ControlState;
import io.facerec.model.match.FaceMatcher;
import io.facerec.model.match.Match;
import io.facerec.model.result.FaceResult;
import io.facerec.model.result.FrameResult;
import io.facerec.model.webhook.WebhookPayload;
import io.facerec.recognizer.control.ControlStateReader;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.gallery.GalleryCache;
import io.facerec.recognizer.image.ImageDecodeException;
import io.facerec.recognizer.metrics.RecognizerMetrics;
import io.facerec.recognizer.results.ResultStore;
import io.facerec.recognizer.webhook.WebhookSender;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import java.io.IOException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One uploaded frame: fetch it, find and match its faces, record the result, announce the faces.
 * A frame that cannot be decoded is recorded with its error (nothing is lost, nothing retried);
 * S3 and DynamoDB failures propagate so the invocation is retried; a failed webhook is recorded on
 * the item and never undoes the record.
 */
public final class FrameService {
    private static final Logger LOG = LogManager.getLogger(FrameService.class);

    private final S3Client s3;
    private final FaceEngine engine;
    private final GalleryCache gallery;
    private final ResultStore store;
    private final Optional<WebhookSender> webhook;
    private final Settings settings;
    private final Clock clock;
    private final ControlStateReader control;

    /** Per-deployment choices the service needs. */
    public record Settings(long maxFrameBytes, Duration cooldown, boolean sendUnknown,
                           Map<String, String> cameraStreamUrls) {
    }

    /** What happened to one frame. */
    public enum Result { RECORDED, DUPLICATE, RECORDED_WITH_ERROR, SKIPPED }

    public FrameService(S3Client s3, FaceEngine engine, GalleryCache gallery, ResultStore store,
                        Optional<WebhookSender> webhook, Settings settings, Clock clock) {
        this(s3, engine, gallery, store, webhook, settings, clock, ControlStateReader.fixed(ControlState.DEFAULT));
    }

    /** With the control record honoured: stopped means recorded, not analysed; its threshold decides. */
    public FrameService(S3Client s3, FaceEngine engine, GalleryCache gallery, ResultStore store,
                        Optional<WebhookSender> webhook, Settings settings, Clock clock, ControlStateReader control) {
        this.control = control;
        this.s3 = s3;
        this.engine = engine;
        this.gallery = gallery;
        this.store = store;
        this.webhook = webhook;
        this.settings = settings;
        this.clock = clock;
    }

    /**
     * The object an event names: its key decoded, its eTag unquoted (null when the event has none),
     * the event's versionId (kept for reference, never read by) and size.
     */
    public record FrameObject(String bucket, String key, String eTag, String versionId, long size) {
    }

    public Result process(FrameObject o, long deadlineMillis, RecognizerMetrics metrics) {
        long t0 = System.nanoTime();
        String bucket = o.bucket();
        String key = o.key();
        String versionId = o.versionId();
        if (o.eTag() != null && o.size() > settings.maxFrameBytes()) {
            return recordTooLarge(o.size(), frameId(bucket, key, o.eTag()), FrameIdentity.of(key, Map.of(), clock.instant()),
                    o, o.eTag());
        }
        ControlState state = control.current();
        if (!state.active()) {
            return recordStopped(FrameIdentity.of(key, Map.of(), clock.instant()), o);
        }
        byte[] bytes;
        GetObjectResponse response;
        // read by key, held to the event's content by If-Match: reading by versionId would need
        // s3:GetObjectVersion, and the eTag is what makes a frame the same frame
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> {
            b.bucket(bucket).key(key);
            if (o.eTag() != null) {
                b.ifMatch("\"" + o.eTag() + "\"");
            }
        })) {
            response = in.response();
            String eTag = unquote(response.eTag());
            // the event's size can be absent: the response's length decides before anything is read
            Long length = response.contentLength();
            if (length != null && length > settings.maxFrameBytes()) {
                in.abort();
                return recordTooLarge(length, frameId(bucket, key, eTag), identity(key, response), o, eTag);
            }
            bytes = in.readAllBytes();
        } catch (NoSuchKeyException e) {
            LOG.warn("frame s3://{}/{} is gone (deleted before it was processed): skipped", bucket, key);
            return Result.SKIPPED;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                // overwritten with other bytes since the event: that content raised its own event,
                // which records it; this event's content is no longer at the key
                LOG.warn("frame s3://{}/{} no longer holds the content of this event (eTag {}): skipped, the newer "
                        + "content is recorded from its own event", bucket, key, o.eTag());
                metrics.count("FramesOverwritten", 1);
                return Result.SKIPPED;
            }
            throw e;
        } catch (IOException e) {
            throw SdkClientException.create("reading s3://" + bucket + "/" + key + " failed", e);
        }
        String eTag = unquote(response.eTag());
        String frameId = frameId(bucket, key, eTag);
        // no look-up first: duplicates are rare, and the conditional put below catches them
        FrameIdentity meta = identity(key, response);
        if (meta.contradiction().isPresent()) {
            LOG.warn("frame s3://{}/{} refused: {}", bucket, key, meta.contradiction().get());
            metrics.count("FramesRefused", 1);
            FrameResult r = new FrameResult(frameId, meta.cameraId(), meta.captureTime(), bucket, key, versionId, eTag, 0, 0,
                    List.of(), engine.modelId(), elapsedMs(t0), null, meta.contradiction().get());
            return store.putFrame(r, "none") ? Result.RECORDED_WITH_ERROR : Result.DUPLICATE;
        }

        FrameAnalysis analysis;
        try {
            analysis = engine.analyze(bytes, "s3://" + bucket + "/" + key);
        } catch (ImageDecodeException e) {
            LOG.warn("frame unusable: {}", e.getMessage());
            metrics.count("FramesUnreadable", 1);
            FrameResult r = new FrameResult(frameId, meta.cameraId(), meta.captureTime(), bucket, key, versionId, eTag, 0, 0,
                    List.of(), engine.modelId(), elapsedMs(t0), null, e.getMessage());
            return store.putFrame(r, "none") ? Result.RECORDED_WITH_ERROR : Result.DUPLICATE;
        }

        GalleryCache.State g = gallery.current();
        List<FaceResult> faces = new ArrayList<>();
        for (DetectedFace f : analysis.faces()) {
            FaceResult.FaceBox box = new FaceResult.FaceBox(Math.round(f.box().left()), Math.round(f.box().top()),
                    Math.round(f.box().right()), Math.round(f.box().bottom()));
            if (g.matcher().isPresent()) {
                Match m = g.matcher().get().match(f.embedding());
                if (state.threshold() != null) {
                    m = m.withThreshold(state.threshold());
                }
                faces.add(new FaceResult(m.label(), m.known(), m.similarity(), m.margin(), box, f.score(), f.quality()));
            } else {
                faces.add(new FaceResult(null, false, 0, 0, box, f.score(), f.quality()));
            }
        }
        FrameResult result = new FrameResult(frameId, meta.cameraId(), meta.captureTime(), bucket, key, versionId, eTag,
                analysis.width(), analysis.height(), faces, engine.modelId(), elapsedMs(t0),
                g.problem().orElse(null), null);

        List<FaceResult> toAnnounce = g.matcher().isEmpty() || webhook.isEmpty() ? List.of()
                : faces.stream().filter(f -> f.known() || settings.sendUnknown()).toList();
        boolean fresh = store.putFrame(result, toAnnounce.isEmpty() ? "none" : "pending");
        store.countOnce(result, g.samples()); // idempotent: also completes a count an earlier delivery could not write
        if (!fresh) {
            LOG.info("frame s3://{}/{} already recorded: duplicate delivery ignored", bucket, key);
            metrics.count("DuplicateDeliveries", 1);
            return Result.DUPLICATE;
        }
        record(metrics, analysis, faces, g);

        if (!toAnnounce.isEmpty()) {
            announce(result, toAnnounce, deadlineMillis, metrics);
        }
        LOG.info("frame s3://{}/{} camera {}: {} faces {} in {} ms", bucket, key, meta.cameraId(), faces.size(),
                faces.stream().map(f -> f.label() == null ? "unmatched" : f.label()).toList(), result.processingMillis());
        return Result.RECORDED;
    }

    private void announce(FrameResult r, List<FaceResult> faces, long deadlineMillis, RecognizerMetrics metrics) {
        WebhookSender sender = webhook.orElseThrow();
        List<Map<String, String>> outcomes = new ArrayList<>();
        boolean allOk = true;
        for (int i = 0; i < faces.size(); i++) {
            FaceResult f = faces.get(i);
            String name = f.known() ? f.label() : WebhookPayload.UNKNOWN_NAME;
            Map<String, String> o = new LinkedHashMap<>();
            o.put("name", name);
            if (!store.takeCooldown(r.cameraId(), name, clock.instant(), settings.cooldown())) {
                o.put("status", "COOLDOWN");
                outcomes.add(o);
                metrics.count("WebhookCooldown", 1);
                continue;
            }
            String time = r.captureTime().toString();
            WebhookPayload payload = new WebhookPayload(
                    new WebhookPayload.Result(time, name, round(f.similarity()), round(1 - f.similarity()),
                            new WebhookPayload.Box(f.box().top(), f.box().right(), f.box().bottom(), f.box().left())),
                    r.cameraId(), settings.cameraStreamUrls().getOrDefault(r.cameraId(), ""), time);
            // the same id on every attempt and on a redelivery of this frame lets the receiver drop repeats
            WebhookSender.Outcome out = sender.deliver(r.frameId() + "-" + i, payload.toJson(), deadlineMillis);
            o.put("status", out.status().name());
            o.put("attempts", Integer.toString(out.attempts()));
            o.put("detail", out.detail());
            outcomes.add(o);
            metrics.count(out.status() == WebhookSender.Status.DELIVERED ? "WebhookDelivered" : "WebhookFailed", 1);
            if (out.status() != WebhookSender.Status.DELIVERED) {
                allOk = false;
                LOG.warn("webhook to {} for {} on camera {}: {} after {} attempts ({})", sender.target(), name,
                        r.cameraId(), out.status(), out.attempts(), out.detail());
            }
        }
        store.recordWebhooks(r, allOk ? "done" : "failed", outcomes);
    }

    private void record(RecognizerMetrics m, FrameAnalysis a, List<FaceResult> faces, GalleryCache.State g) {
        m.count("Frames", 1);
        m.count("Faces", faces.size());
        m.count("Matches", faces.stream().filter(FaceResult::known).count());
        m.count("Unknowns", faces.stream().filter(f -> f.label() != null && !f.known()).count());
        m.count("Unmatched", faces.stream().filter(f -> f.label() == null).count());
        m.millis("DecodeMs", a.times().decodeNanos() / 1e6);
        m.millis("DetectMs", a.times().detectNanos() / 1e6);
        m.millis("LandmarkMs", a.times().landmarkNanos() / 1e6);
        m.millis("AlignMs", a.times().alignNanos() / 1e6);
        m.millis("EmbedMs", a.times().embedNanos() / 1e6);
        if (g.problem().isPresent()) {
            m.count("GalleryProblem", 1);
        }
    }

    private FrameIdentity identity(String key, GetObjectResponse res) {
        return FrameIdentity.of(key, res.metadata(), res.lastModified() == null ? clock.instant() : res.lastModified());
    }

    /** An object over MAX_FRAME_BYTES is recorded with the reason, never downloaded whole. */
    private Result recordTooLarge(long size, String frameId, FrameIdentity id, FrameObject o, String eTag) {
        FrameResult r = new FrameResult(frameId, id.cameraId(), id.captureTime(), o.bucket(), o.key(), o.versionId(), eTag,
                0, 0, List.of(), engine.modelId(), 0, null,
                "object is " + size + " bytes, over the limit of " + settings.maxFrameBytes());
        return store.putFrame(r, "none") ? Result.RECORDED_WITH_ERROR : Result.DUPLICATE;
    }

    /** While recognition is stopped (POST /stop) a frame is recorded, not fetched nor analysed. */
    private Result recordStopped(FrameIdentity id, FrameObject o) {
        FrameResult r = new FrameResult(frameId(o.bucket(), o.key(), o.eTag()), id.cameraId(), id.captureTime(), o.bucket(),
                o.key(), o.versionId(), o.eTag(), 0, 0, List.of(), engine.modelId(), 0, null, ControlState.NOT_ANALYSED);
        LOG.info("frame s3://{}/{} recorded without analysis: recognition is stopped", o.bucket(), o.key());
        return store.putFrame(r, "none") ? Result.SKIPPED : Result.DUPLICATE;
    }

    /**
     * Stable for one content at one key: the idempotency key of the frame and its deliveries. A re-put
     * of the same bytes (a new version on a versioned bucket) has the same eTag, so the same id.
     */
    static String frameId(String bucket, String key, String eTag) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(
                    (bucket + "\n" + key + "\n" + (eTag == null ? "" : eTag)).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unquote(String eTag) {
        return eTag == null ? null : eTag.replace("\"", "");
    }

    private static long elapsedMs(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
