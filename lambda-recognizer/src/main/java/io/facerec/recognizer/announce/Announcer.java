package io.facerec.recognizer.announce;

import io.facerec.model.result.FrameResult;
import io.facerec.recognizer.metrics.RecognizerMetrics;
import io.facerec.recognizer.results.ResultStore;
import io.facerec.recognizer.webhook.WebhookSender;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Sends a frame's pending deliveries and records where each ended ({@link Delivery} has the states).
 * The per-camera, per-person cooldown is taken only by a delivery that succeeded: while a delivery
 * is in flight it holds a claim on the slot (until the invocation's deadline, so a killed container
 * cannot hold it longer), a failure releases it, and only a success stamps the announcement time.
 */
public final class Announcer {
    private static final Logger LOG = LogManager.getLogger(Announcer.class);

    private final ResultStore store;
    private final WebhookSender sender;
    private final AnnouncementPlan plan;
    private final Duration cooldown;
    private final Clock clock;

    public Announcer(ResultStore store, WebhookSender sender, AnnouncementPlan plan, Duration cooldown, Clock clock) {
        this.store = store;
        this.sender = sender;
        this.plan = plan;
        this.cooldown = cooldown;
        this.clock = clock;
    }

    public AnnouncementPlan plan() {
        return plan;
    }

    /**
     * Sends every pending delivery of {@code frame} and records the outcomes on its item. Returns true
     * when some are still pending (the invocation ran out of time): the event must then be retried.
     */
    public boolean announce(FrameResult frame, List<Delivery> deliveries, long deadlineMillis, RecognizerMetrics metrics) {
        List<Delivery> after = new ArrayList<>();
        for (Delivery d : deliveries) {
            after.add(d.isPending() ? send(frame, d, deadlineMillis, metrics) : d);
        }
        boolean pending = after.stream().anyMatch(Delivery::isPending);
        boolean failed = after.stream().anyMatch(d -> d.state() == Delivery.State.FAILED);
        store.recordDeliveries(frame, pending ? ResultStore.WEBHOOKS_PENDING : failed ? "failed" : "done", after);
        return pending;
    }

    private Delivery send(FrameResult frame, Delivery d, long deadlineMillis, RecognizerMetrics metrics) {
        String camera = frame.cameraId();
        Instant now = clock.instant();
        if (!cooldown.isZero()
                && !store.claimCooldown(camera, d.name(), d.id(), now, cooldown, Instant.ofEpochMilli(deadlineMillis))) {
            metrics.count("WebhookCooldown", 1);
            return d.to(Delivery.State.COOLDOWN, d.attempts(), "announced on this camera within " + cooldown.toSeconds() + " s");
        }
        WebhookSender.Outcome out = sender.deliver(d.id(), plan.payload(frame, d), deadlineMillis);
        int attempts = d.attempts() + out.attempts();
        switch (out.status()) {
            case DELIVERED -> {
                if (!cooldown.isZero()) {
                    store.confirmCooldown(camera, d.name(), d.id(), clock.instant(), cooldown);
                }
                metrics.count("WebhookDelivered", 1);
                return d.to(Delivery.State.DELIVERED, attempts, out.detail());
            }
            case FAILED -> {
                release(camera, d);
                metrics.count("WebhookFailed", 1);
                LOG.warn("webhook to {} for {} on camera {}: failed after {} attempts ({})", sender.target(), d.name(),
                        camera, out.attempts(), out.detail());
                return d.to(Delivery.State.FAILED, attempts, out.detail());
            }
            default -> {
                release(camera, d);
                metrics.count("WebhookPending", 1);
                LOG.warn("webhook to {} for {} on camera {}: not delivered in this invocation ({}); the retry sends it",
                        sender.target(), d.name(), camera, out.detail());
                return d.to(Delivery.State.PENDING, attempts, out.detail());
            }
        }
    }

    private void release(String camera, Delivery d) {
        if (!cooldown.isZero()) {
            store.releaseCooldown(camera, d.name(), d.id());
        }
    }
}
