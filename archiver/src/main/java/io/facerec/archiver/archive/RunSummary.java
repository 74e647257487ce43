package io.facerec.archiver.archive;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one run did. {@code oldestFrame} is the capture time of the oldest frame still in
 * {@code frames/} after the run (as far as the run saw: every camera's listing is started), which the
 * overdue-frames alarm watches.
 */
public record RunSummary(
        int cameras,
        int hoursArchived,
        int hoursFailed,
        int bundlesWritten,
        int lateParts,
        int framesArchived,
        long bytesArchived,
        int framesDeleted,
        int skippedKeys,
        boolean stoppedForTime,
        Optional<Instant> oldestFrame,
        List<String> errors,
        long millis) {

    public Optional<Duration> oldestFrameAge(Instant now) {
        return oldestFrame.map(t -> Duration.between(t, now));
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cameras", cameras);
        m.put("hoursArchived", hoursArchived);
        m.put("hoursFailed", hoursFailed);
        m.put("bundlesWritten", bundlesWritten);
        m.put("lateParts", lateParts);
        m.put("framesArchived", framesArchived);
        m.put("bytesArchived", bytesArchived);
        m.put("framesDeleted", framesDeleted);
        m.put("skippedKeys", skippedKeys);
        m.put("stoppedForTime", stoppedForTime);
        m.put("oldestFrame", oldestFrame.map(Instant::toString).orElse(null));
        m.put("errors", errors);
        m.put("millis", millis);
        return m;
    }

    @Override
    public String toString() {
        return String.format("%d hours archived (%d failed), %d bundles (%d late parts), %d frames, %d bytes, "
                        + "%d originals deleted%s%s", hoursArchived, hoursFailed, bundlesWritten, lateParts,
                framesArchived, bytesArchived, framesDeleted, stoppedForTime ? ", stopped for time" : "",
                errors.isEmpty() ? "" : ", first error: " + errors.getFirst());
    }
}
