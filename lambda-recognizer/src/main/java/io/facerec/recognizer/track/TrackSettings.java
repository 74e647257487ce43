package io.facerec.recognizer.track;

import io.facerec.model.config.SettingsReader;
import java.time.Duration;

/**
 * How faces become person-tracks and when a track is decided.
 *
 * @param gap          two faces of one camera can be one person's only this close in capture time
 * @param late         how far behind the camera's newest frame a frame may be processed and still be
 *                     linked exactly as in capture order; a frame later than that is decided on its own
 * @param unknownAfter a track not named after lasting this long is announced as unknown (one that
 *                     ends sooner is announced when it ends)
 * @param rule         when a track is named
 */
public record TrackSettings(Duration gap, Duration late, Duration unknownAfter, TrackRule rule) {
    public static final TrackSettings DEFAULT = new TrackSettings(Duration.ofSeconds(3), Duration.ofSeconds(5),
            Duration.ofSeconds(5), TrackRule.DEFAULT);

    /** TRACK_GAP_S, TRACK_LATE_S, TRACK_UNKNOWN_AFTER_S, TRACK_NAME_FACES, TRACK_NAME_WINDOW, TRACK_STRONG_ABOVE, TRACK_MIN_MARGIN. */
    public static TrackSettings read(SettingsReader r) {
        double gap = r.decimal("TRACK_GAP_S", seconds(DEFAULT.gap), 0.1, 600);
        double late = r.decimal("TRACK_LATE_S", seconds(DEFAULT.late), 0, 3600);
        double unknownAfter = r.decimal("TRACK_UNKNOWN_AFTER_S", seconds(DEFAULT.unknownAfter), 0, 3600);
        int k = r.integer("TRACK_NAME_FACES", DEFAULT.rule.faces(), 0, 100);
        int n = r.integer("TRACK_NAME_WINDOW", DEFAULT.rule.window(), 1, 100);
        if (n < k) {
            r.problem("TRACK_NAME_WINDOW (" + n + ") must be at least TRACK_NAME_FACES (" + k + ")");
            n = k;
        }
        double strong = r.decimal("TRACK_STRONG_ABOVE", DEFAULT.rule.strongAbove(), 0, 2);
        double margin = r.decimal("TRACK_MIN_MARGIN", DEFAULT.rule.minMargin(), 0, 2);
        return new TrackSettings(millis(gap), millis(late), millis(unknownAfter), new TrackRule(k, n, strong, margin));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static Duration millis(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }
}
