package io.facerec.archiver.store;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bundle's storage class and restore state, from a HEAD: S3 reports {@code x-amz-restore:
 * ongoing-request="true"} while a restore runs and {@code ongoing-request="false", expiry-date="..."}
 * while the restored copy is readable. STANDARD is not reported at all (null).
 */
public record BundleState(String storageClass, Restore restore, Optional<Instant> restoredUntil, long length) {
    public enum Restore { NONE, IN_PROGRESS, RESTORED }

    private static final Pattern ONGOING = Pattern.compile("ongoing-request\\s*=\\s*\"(true|false)\"");
    private static final Pattern EXPIRY = Pattern.compile("expiry-date\\s*=\\s*\"([^\"]+)\"");

    public static BundleState of(String storageClass, String restoreHeader, long length) {
        Restore r = Restore.NONE;
        Optional<Instant> until = Optional.empty();
        if (restoreHeader != null) {
            Matcher m = ONGOING.matcher(restoreHeader);
            if (m.find()) {
                r = m.group(1).equals("true") ? Restore.IN_PROGRESS : Restore.RESTORED;
            }
            Matcher e = EXPIRY.matcher(restoreHeader);
            if (e.find()) {
                try {
                    until = Optional.of(ZonedDateTime.parse(e.group(1), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                } catch (DateTimeParseException ignored) {
                    // the state is what matters; the date is only shown
                }
            }
        }
        return new BundleState(storageClass, r, until, length);
    }

    /** Classes whose objects must be restored before a GET. */
    public static boolean needsRestoreToRead(String storageClass) {
        String c = storageClass == null ? "STANDARD" : storageClass.toUpperCase(Locale.ROOT);
        return c.equals("GLACIER") || c.equals("DEEP_ARCHIVE");
    }

    /** Whether a GET (or ranged GET) of the bundle works now. */
    public boolean readable() {
        return !needsRestoreToRead(storageClass) || restore == Restore.RESTORED;
    }

    public String describe() {
        if (!needsRestoreToRead(storageClass)) {
            return "readable";
        }
        return switch (restore) {
            case NONE -> "archived (restore needed)";
            case IN_PROGRESS -> "restore in progress";
            case RESTORED -> "restored" + restoredUntil.map(u -> " until " + u).orElse("");
        };
    }
}
