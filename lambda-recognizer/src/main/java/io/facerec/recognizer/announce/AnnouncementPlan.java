package io.facerec.recognizer.announce;

import io.facerec.model.result.FaceResult;
import io.facerec.model.result.FrameResult;
import io.facerec.model.result.ResultKeys;
import io.facerec.model.webhook.WebhookPayload;
import io.facerec.recognizer.track.CameraTracks;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which decisions of a frame are announced, and what each announcement says: every person-track
 * decision the frame made (named, unknown, or an unknown track named later), unknown ones unless
 * {@code WEBHOOK_SEND_UNKNOWN=false}. Tracks are decided only with a gallery, so nothing is announced
 * without one (a face nobody could match is not a stranger).
 *
 * <p>{@code camera_id} is the app's own id of the camera when {@code APP_CAMERA_IDS} maps the
 * forwarder's camera to one (the app takes it as a foreign key: an id it does not know fails the
 * insert), null otherwise; {@code camera_stream_url} is the stream URL the frame carried, null when it
 * carried none. The app finds the camera by the id, else by the URL, else takes its most recent one.
 */
public final class AnnouncementPlan {
    private final boolean sendUnknown;
    private final Map<String, String> appCameraIds;

    public AnnouncementPlan(boolean sendUnknown, Map<String, String> appCameraIds) {
        this.sendUnknown = sendUnknown;
        this.appCameraIds = Map.copyOf(appCameraIds);
    }

    /** The deliveries a newly recorded frame owes for its track decisions, all pending. */
    public List<Delivery> deliveries(FrameResult r, List<CameraTracks.Announcement> decisions) {
        List<Delivery> out = new ArrayList<>();
        for (CameraTracks.Announcement a : decisions) {
            if (a.kind() == CameraTracks.Kind.UNKNOWN && !sendUnknown) {
                continue;
            }
            CameraTracks.Shown s = a.shown();
            out.add(Delivery.pending(r.frameId(), a.name() == null ? WebhookPayload.UNKNOWN_NAME : a.name(),
                    new Delivery.Subject(a.trackId(), a.kind().name().toLowerCase(Locale.ROOT), s.key().captureMillis(),
                            s.box(), s.match() == null ? 0 : s.match().similarity(), a.faces(), a.firstMillis())));
        }
        return out;
    }

    /** The body of one delivery, from what was recorded (so a re-send says what the first send said). */
    public byte[] payload(FrameResult r, Delivery d) {
        Delivery.Subject s = d.subject();
        if (s == null) {
            FaceResult f = r.faces().get(d.face());
            String time = r.captureTime().toString();
            return payload(r, d.name(), time, f.similarity(), f.box()).toJson();
        }
        String time = Instant.ofEpochMilli(s.captureMillis()).toString();
        return payload(r, d.name(), time, s.similarity(), s.box()).toJson(new WebhookPayload.Track(s.trackId(), s.decision(),
                s.faces(), ResultKeys.time(Instant.ofEpochMilli(s.firstMillis()))));
    }

    private WebhookPayload payload(FrameResult r, String name, String time, double similarity, FaceResult.FaceBox box) {
        return new WebhookPayload(WebhookPayload.Result.of(time, name, similarity,
                new WebhookPayload.Box(box.top(), box.right(), box.bottom(), box.left())),
                appCameraIds.get(r.cameraId()), r.streamUrl(), time);
    }
}
