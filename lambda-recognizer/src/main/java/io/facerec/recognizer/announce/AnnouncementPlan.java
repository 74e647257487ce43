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
 */
public final class AnnouncementPlan {
    private final boolean sendUnknown;
    private final Map<String, String> cameraStreamUrls;

    public AnnouncementPlan(boolean sendUnknown, Map<String, String> cameraStreamUrls) {
        this.sendUnknown = sendUnknown;
        this.cameraStreamUrls = Map.copyOf(cameraStreamUrls);
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
                new WebhookPayload.Result(time, d.name(), round(f.similarity()), round(1 - f.similarity()),
                        new WebhookPayload.Box(f.box().top(), f.box().right(), f.box().bottom(), f.box().left())),
                r.cameraId(), cameraStreamUrls.getOrDefault(r.cameraId(), ""), time).toJson();
    }

    static String nameOf(FaceResult f) {
        return f.known() ? f.label() : WebhookPayload.UNKNOWN_NAME;
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
