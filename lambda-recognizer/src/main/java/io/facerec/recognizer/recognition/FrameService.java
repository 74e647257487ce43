package io.facerec.recognizer.recognition;

import io.facerec.model.control.ControlState;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.frame.FrameMetadata;
import io.facerec.model.match.Match;
import io.facerec.model.match.Metric;
import io.facerec.model.result.FaceResult;
import io.facerec.model.result.FrameResult;
import io.facerec.recognizer.announce.Announcer;
import io.facerec.recognizer.announce.Delivery;
import io.facerec.recognizer.control.ControlStateReader;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.EmbeddingModel;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.gallery.GalleryCache;
import io.facerec.recognizer.image.ImageDecodeException;
import io.facerec.recognizer.metrics.RecognizerMetrics;
import io.facerec.recognizer.results.ResultStore;
import io.facerec.recognizer.track.CameraTracks;
import io.facerec.recognizer.track.Tracking;
import io.facerec.recognizer.unknown.FaceCrops;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * One uploaded frame: fetch it, find and match its faces, add them to their camera's person-tracks,
 * record the result with the deliveries its track decisions owe, then announce, and hand the tracks
 * that ended without a name to the clusters of unknown faces. A frame that cannot be decoded, or whose metadata contradicts its key, is
 * recorded with the reason (nothing is lost, nothing retried); S3 and DynamoDB failures propagate so
 * the invocation is retried. A retry that finds the frame recorded but its deliveries still pending
 * sends them (a container died, or time ran out, after the item was written).
 */
public final class FrameService {
    private static final Logger LOG = LogManager.getLogger(FrameService.class);

    private final S3Client s3;
    private final FaceEngine engine;
    private final GalleryCache gallery;
    private final ResultStore store;
    private final Optional<Announcer> announcer;
    private final long maxFrameBytes;
    private final Clock clock;
    private final ControlStateReader control;
    private final Tracking tracking;

    /** What happened to one frame. */
    public enum Result {
        RECORDED,
        /** Recorded before, nothing owed: the event was a repeat. */
        DUPLICATE,
        /** Recorded before with deliveries pending, which this invocation sent. */
        RESUMED,
        RECORDED_WITH_ERROR,
        SKIPPED,
        /** Recorded, but deliveries are still pending: the event must be retried to send them. */
        DELIVERIES_PENDING
    }

    /** The control record is honoured: stopped means recorded, not analysed; its threshold decides. */
    public FrameService(S3Client s3, FaceEngine engine, GalleryCache gallery, ResultStore store, Tracking tracking,
                        Optional<Announcer> announcer, long maxFrameBytes, Clock clock, ControlStateReader control) {
        this.control = control;
        this.tracking = tracking;
        this.s3 = s3;
        this.engine = engine;
        this.gallery = gallery;
        this.store = store;
        this.announcer = announcer;
        this.maxFrameBytes = maxFrameBytes;
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
        if (o.eTag() != null && o.size() > maxFrameBytes) {
            return recordTooLarge(o.size(), FrameIdentity.of(key, Map.of(), clock.instant()), o, o.eTag());
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
            // the event's size can be absent: the response's length decides before anything is read
            Long length = response.contentLength();
            if (length != null && length > maxFrameBytes) {
                in.abort();
                return recordTooLarge(length, identity(key, response), o, unquote(response.eTag()));
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
        FrameIdentity id = identity(key, response);
        if (id.contradiction().isPresent()) {
            LOG.warn("frame s3://{}/{} refused: {}", bucket, key, id.contradiction().get());
            metrics.count("FramesRefused", 1);
            return recordError(new FrameResult(frameId, id.cameraId(), id.captureTime(), bucket, key, o.versionId(), eTag,
                    0, 0, List.of(), engine.modelId(), elapsedMs(t0), null, id.contradiction().get()));
        }

        // the gallery says which model's vectors to make
        GalleryCache.State g = gallery.current();
        EmbeddingModel model = g.model();
        FrameAnalysis analysis;
        try {
            analysis = engine.analyze(bytes, "s3://" + bucket + "/" + key, EnumSet.of(model));
        } catch (ImageDecodeException e) {
            LOG.warn("frame unusable: {}", e.getMessage());
            metrics.count("FramesUnreadable", 1);
            return recordError(new FrameResult(frameId, id.cameraId(), id.captureTime(), bucket, key, o.versionId(), eTag,
                    0, 0, List.of(), engine.modelId(), elapsedMs(t0), null, e.getMessage()));
        }

        List<FaceResult> faces = new ArrayList<>();
        List<CameraTracks.Observed> observed = new ArrayList<>();
        for (DetectedFace f : analysis.faces()) {
            FaceResult.FaceBox box = new FaceResult.FaceBox(Math.round(f.box().left()), Math.round(f.box().top()),
                    Math.round(f.box().right()), Math.round(f.box().bottom()));
            if (g.matcher().isPresent()) {
                Match m = g.matcher().get().match(model.vectorOf(f));
                if (state.threshold() != null) {
                    // the stored threshold is in the gallery's metric, as THRESHOLD is
                    m = model.metric() == Metric.EUCLIDEAN ? m.withDistanceThreshold(state.threshold())
                            : m.withThreshold(state.threshold());
                }
                faces.add(new FaceResult(m.label(), m.known(), m.similarity(), m.margin(), box, f.score(), f.quality()));
                observed.add(new CameraTracks.Observed(box, f.embedding(), m));
            } else {
                faces.add(new FaceResult(null, false, 0, 0, box, f.score(), f.quality()));
                observed.add(new CameraTracks.Observed(box, f.embedding(), null));
            }
        }
        FrameResult result = new FrameResult(frameId, id.cameraId(), id.captureTime(), bucket, key, o.versionId(), eTag,
                analysis.width(), analysis.height(), faces, model.modelId(), elapsedMs(t0),
                g.problem().orElse(null), null, streamUrl(response));

        // the bar two faces pass to be one person's: the threshold that names a face, in similarity units
        // (1 - distance for a Euclidean gallery, as its matches' similarity is)
        double threshold = state.threshold() != null ? state.threshold()
                : g.matcher().map(m -> (double) m.threshold()).orElse(model.defaultThreshold());
        double bar = model.metric() == Metric.EUCLIDEAN ? 1 - threshold : threshold;
        long sequence = FrameKey.parse(key).map(FrameKey::sequence).orElse(0L);
        CameraTracks.Outcome tracked = tracking.tracker().track(id.cameraId(), new CameraTracks.Frame(frameId,
                id.captureTime().toEpochMilli(), sequence, observed), bar, metrics);
        storeCrops(id.cameraId(), bytes, faces, tracked);

        // no look-up first: repeats are rare, and the conditional put catches them
        List<Delivery> owed = announcer.map(a -> a.plan().deliveries(result, tracked.announcements())).orElse(List.of());
        boolean fresh = store.putFrame(result, owed, tracked.trackIds());
        store.countOnce(result, g.samples()); // idempotent: also completes a count an earlier delivery could not write
        if (!fresh) {
            Result r = repeat(result, deadlineMillis, metrics);
            cluster(id.cameraId(), tracked, bar);
            return r;
        }
        record(metrics, analysis, faces, g, tracked);
        LOG.info("frame s3://{}/{} camera {}: {} faces {} tracks {} in {} ms", bucket, key, id.cameraId(), faces.size(),
                faces.stream().map(f -> f.label() == null ? "unmatched" : f.label()).toList(), tracked.trackIds(),
                result.processingMillis());
        boolean pending = !owed.isEmpty() && announcer.get().announce(result, owed, deadlineMillis, metrics);
        cluster(id.cameraId(), tracked, bar);
        return pending ? Result.DELIVERIES_PENDING : Result.RECORDED;
    }

    /** One crop per unknown track, from this frame's bytes; a retry stores the same crops again. */
    private void storeCrops(String camera, byte[] bytes, List<FaceResult> faces, CameraTracks.Outcome tracked) {
        for (CameraTracks.Crop c : tracked.crops()) {
            try {
                tracking.crops().store(camera, c.cropId(), bytes, faces.get(c.face()).box());
            } catch (ImageDecodeException e) {
                // analysed a moment ago, so this cannot happen short of a bug: the track goes without a crop
                LOG.warn("no crop for track {} of camera {}: {}", c.cropId(), camera, e.getMessage());
            }
        }
    }

    /** Tracks that ended without a name join the clusters of unknown faces (a repeat joins nothing twice). */
    private void cluster(String camera, CameraTracks.Outcome tracked, double bar) {
        for (CameraTracks.Ended e : tracked.ended()) {
            tracking.clusters().add(camera, e, e.crop() == null ? null : FaceCrops.key(camera, e.crop()), bar);
        }
    }

    /** The frame was recorded before: a repeat, or a retry that still owes deliveries. */
    private Result repeat(FrameResult probe, long deadlineMillis, RecognizerMetrics metrics) {
        Optional<ResultStore.PendingFrame> pending = announcer.isPresent() ? store.pendingFrame(probe) : Optional.empty();
        if (pending.isEmpty()) {
            LOG.info("frame s3://{}/{} already recorded: repeated event ignored", probe.bucket(), probe.key());
            metrics.count("DuplicateDeliveries", 1);
            return Result.DUPLICATE;
        }
        LOG.info("frame s3://{}/{} was recorded with deliveries pending: sending them", probe.bucket(), probe.key());
        metrics.count("DeliveriesResumed", 1);
        ResultStore.PendingFrame p = pending.get();
        return announcer.get().announce(p.frame(), p.deliveries(), deadlineMillis, metrics)
                ? Result.DELIVERIES_PENDING : Result.RESUMED;
    }

    private Result recordError(FrameResult r) {
        return store.putFrame(r, List.of()) ? Result.RECORDED_WITH_ERROR : Result.DUPLICATE;
    }

    /** While recognition is stopped (POST /stop) a frame is recorded, not fetched nor analysed. */
    private Result recordStopped(FrameIdentity id, FrameObject o) {
        FrameResult r = new FrameResult(frameId(o.bucket(), o.key(), o.eTag()), id.cameraId(), id.captureTime(), o.bucket(),
                o.key(), o.versionId(), o.eTag(), 0, 0, List.of(), engine.modelId(), 0, null, ControlState.NOT_ANALYSED);
        LOG.info("frame s3://{}/{} recorded without analysis: recognition is stopped", o.bucket(), o.key());
        return store.putFrame(r, List.of()) ? Result.SKIPPED : Result.DUPLICATE;
    }

    private void record(RecognizerMetrics m, FrameAnalysis a, List<FaceResult> faces, GalleryCache.State g,
                        CameraTracks.Outcome tracked) {
        for (CameraTracks.Announcement d : tracked.announcements()) {
            m.count(switch (d.kind()) {
                case NAMED -> "TracksNamed";
                case UNKNOWN -> "TracksUnknown";
                case UPGRADE -> "TracksUpgraded";
            }, 1);
        }
        m.count("TracksEndedUnnamed", tracked.ended().size());
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
        if (a.times().dlibNanos() > 0) {
            m.millis("DlibDescriptorMs", a.times().dlibNanos() / 1e6);
        }
        if (g.problem().isPresent()) {
            m.count("GalleryProblem", 1);
        }
    }

    /** The camera's stream URL the forwarder put on the frame (credentials removed there), or null. */
    static String streamUrl(GetObjectResponse res) {
        String url = res.metadata().get(FrameMetadata.STREAM_URL);
        return url == null || url.isBlank() ? null : url.strip();
    }

    private FrameIdentity identity(String key, GetObjectResponse res) {
        return FrameIdentity.of(key, res.metadata(), res.lastModified() == null ? clock.instant() : res.lastModified());
    }

    /** An object over MAX_FRAME_BYTES is recorded with the reason, never downloaded whole. */
    private Result recordTooLarge(long size, FrameIdentity id, FrameObject o, String eTag) {
        return recordError(new FrameResult(frameId(o.bucket(), o.key(), eTag), id.cameraId(), id.captureTime(), o.bucket(),
                o.key(), o.versionId(), eTag, 0, 0, List.of(), engine.modelId(), 0, null,
                "object is " + size + " bytes, over the limit of " + maxFrameBytes));
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
}
