package io.facerec.model.frame;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a camera's frames of one UTC hour are archived: part 0 is
 * {@code archive/<cameraId>/<yyyy>/<MM>/<dd>/<HH>.tar}; frames that arrive after a part was written
 * go into {@code <HH>.1.tar}, {@code <HH>.2.tar}, and so on. Each part's index lies beside it
 * ({@code <HH>.index.json}, {@code <HH>.1.index.json}) and inside it as its last member, and lists
 * which frames the part holds. A frame's parts follow from its key alone (same camera, day and hour),
 * so a result that names a frame key still leads to the image after the frame left {@code frames/}.
 */
public record BundleKey(String cameraId, Instant hour, int part) {
    public static final String PREFIX = "archive/";
    public static final String TAR = ".tar";
    public static final String INDEX = ".index.json";
    private static final Pattern KEY = Pattern.compile(
            "archive/([A-Za-z0-9._-]{1,64})/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})(?:\\.([1-9]\\d{0,5}))?(\\.tar|\\.index\\.json)");

    public BundleKey {
        // FrameKey owns the camera id rules
        new FrameKey(cameraId, 0, 0);
        if (!hour.truncatedTo(ChronoUnit.HOURS).equals(hour)) {
            throw new IllegalArgumentException("bundle hour must be a whole UTC hour, got " + hour);
        }
        if (part < 0 || part > 999_999) {
            throw new IllegalArgumentException("bundle part must be 0-999999, got " + part);
        }
    }

    /** The first part of the hour {@code frame} was captured in. */
    public static BundleKey of(FrameKey frame) {
        return of(frame, 0);
    }

    public static BundleKey of(FrameKey frame, int part) {
        return new BundleKey(frame.cameraId(), frame.captureTime().truncatedTo(ChronoUnit.HOURS), part);
    }

    public BundleKey withPart(int n) {
        return new BundleKey(cameraId, hour, n);
    }

    /** {@code archive/<camera>/<yyyy>/<MM>/<dd>/}: every part of every hour of that day. */
    public String dayPrefix() {
        ZonedDateTime t = hour.atZone(ZoneOffset.UTC);
        return String.format("%s%s/%04d/%02d/%02d/", PREFIX, cameraId, t.getYear(), t.getMonthValue(), t.getDayOfMonth());
    }

    /** {@code <HH>} or {@code <HH>.<part>}: the file name without its extension. */
    public String baseName() {
        String hh = String.format("%02d", hour.atZone(ZoneOffset.UTC).getHour());
        return part == 0 ? hh : hh + "." + part;
    }

    /** Lists every part of this hour, and nothing of another hour ({@code 13.} never matches {@code 14.tar}). */
    public String hourPrefix() {
        return dayPrefix() + String.format("%02d", hour.atZone(ZoneOffset.UTC).getHour()) + ".";
    }

    public String tarKey() {
        return dayPrefix() + baseName() + TAR;
    }

    public String indexKey() {
        return dayPrefix() + baseName() + INDEX;
    }

    /** The index's name inside the tar (and a tar's file name when extracted beside others). */
    public String indexMemberName() {
        return baseName() + INDEX;
    }

    public Instant hourEnd() {
        return hour.plus(1, ChronoUnit.HOURS);
    }

    /** Whether {@code frame} belongs to this hour of this camera. */
    public boolean holdsHourOf(FrameKey frame) {
        return frame.cameraId().equals(cameraId) && !frame.captureTime().isBefore(hour)
                && frame.captureTime().isBefore(hourEnd());
    }

    /** A tar or index key of this scheme; empty for anything else. */
    public static Optional<BundleKey> parse(String key) {
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Instant hour = ZonedDateTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                    Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), 0, 0, 0, ZoneOffset.UTC).toInstant();
            BundleKey b = new BundleKey(m.group(1), hour, m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            String expected = m.group(7).equals(TAR) ? b.tarKey() : b.indexKey();
            return expected.equals(key) ? Optional.of(b) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code key} (already known to parse) is a part's tar rather than its index. */
    public static boolean isTar(String key) {
        return key.endsWith(TAR);
    }
}
