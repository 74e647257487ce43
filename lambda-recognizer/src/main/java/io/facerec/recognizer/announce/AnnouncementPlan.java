package io.facerec.recognizer.announce;

import io.facerec.model.result.FaceResult;
import io.facerec.model.result.FrameResult;
import io.facerec.model.webhook.WebhookPayload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which faces of a frame are announced, and what each announcement says. Every matched face is,
 * unknown ones unless {@code WEBHOOK_SEND_UNKNOWN=false}; nothing is announced without a gallery
 * (a face nobody could match is not a stranger).
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

    /** The deliveries a newly recorded frame owes, all pending. */
    public List<Delivery> deliveries(FrameResult r, boolean galleryUsable) {
        List<Delivery> out = new ArrayList<>();
        if (!galleryUsable) {
            return out;
        }
        for (int i = 0; i < r.faces().size(); i++) {
            FaceResult f = r.faces().get(i);
            if (f.label() != null && (f.known() || sendUnknown)) {
                out.add(Delivery.pending(r.frameId(), i, nameOf(f)));
            }
        }
        return out;
    }

    /** The body of one delivery, from the recorded frame (so a re-send says what the first send said). */
    public byte[] payload(FrameResult r, Delivery d) {
        FaceResult f = r.faces().get(d.face());
        String time = r.captureTime().toString();
        return new WebhookPayload(
                WebhookPayload.Result.of(time, d.name(), f.similarity(),
                        new WebhookPayload.Box(f.box().top(), f.box().right(), f.box().bottom(), f.box().left())),
                appCameraIds.get(r.cameraId()), r.streamUrl(), time).toJson();
    }

    static String nameOf(FaceResult f) {
        return f.known() ? f.label() : WebhookPayload.UNKNOWN_NAME;
    }
}
