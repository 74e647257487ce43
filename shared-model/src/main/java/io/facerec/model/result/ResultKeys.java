package io.facerec.model.result;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The result table's key design, shared by the recognizer that writes it and the apps that read it.
 * <ul>
 *   <li>Frame item: {@code pk = CAM#<camera>}, {@code sk = <captureTime ISO>#<frameId>} — a camera's
 *       latest events are a Query on pk, newest first.</li>
 *   <li>GSI {@value #BY_DAY}: {@code dayPk = DAY#<yyyy-MM-dd>}, {@code daySk = <captureTime>#<camera>}
 *       — a day's events across cameras.</li>
 *   <li>Sighting item, one per known person per frame: {@code pk = SIGHT#<frameId>}, {@code sk = <name>};
 *       GSI {@value #BY_PERSON}: {@code personPk = PERSON#<name>}, {@code personSk = <captureTime>#<camera>}
 *       — a person's sightings over time.</li>
 *   <li>Enrolment status: {@code pk = ENROL#<name>}, {@code sk = STATUS}.</li>
 *   <li>Webhook cooldown: {@code pk = COOLDOWN#<camera>#<name>}, {@code sk = -}.</li>
 *   <li>Counters of recorded faces, kept by the recognizer for the results API's /stats:
 *       {@code pk = STATS}, {@code sk = ALL}; {@code faces}, {@code unknown}, and one number per
 *       person named {@code P#<name>}. A frame item is counted once ({@code counted} on it).</li>
 *   <li>Control record (recognition on/off, threshold, stream URL): {@code pk = CONTROL},
 *       {@code sk = STATE}, see {@code io.facerec.model.control.ControlState}.</li>
 * </ul>
 * ISO-8601 UTC times with fixed millisecond width sort as strings in time order. Where a key joins
 * two parts that may hold any text (a camera and a person's name), each part has its {@code '%'}
 * and {@code '#'} escaped ({@link #part}), so no two pairs share a key; names without either
 * character keep the keys they always had.
 */
public final class ResultKeys {
    public static final String PK = "pk";
    public static final String SK = "sk";
    public static final String BY_DAY = "byDay";
    public static final String DAY_PK = "dayPk";
    public static final String DAY_SK = "daySk";
    public static final String BY_PERSON = "byPerson";
    public static final String PERSON_PK = "personPk";
    public static final String PERSON_SK = "personSk";
    public static final String TTL = "expiresAt";
    public static final String STATS_PK = "STATS";
    public static final String STATS_SK = "ALL";
    public static final String STATS_FACES = "faces";
    public static final String STATS_UNKNOWN = "unknown";
    /** Prefix of the per-person counters' attribute names. */
    public static final String STATS_PERSON = "P#";
    /** The gallery rows the recognizer last matched a face against. */
    public static final String STATS_GALLERY_SAMPLES = "gallerySamples";
    /** Sort key of a camera's track state. */
    public static final String TRACKS_SK = "STATE";
    /** Partition of the clusters of unknown faces. */
    public static final String UNKNOWN_PK = "UNKNOWN";
    /** Sort key of the item that numbers the clusters. */
    public static final String CLUSTER_COUNTER_SK = "COUNTER";
    /** Sort key prefix of a cluster item. */
    public static final String CLUSTER_SK_PREFIX = "C#";
    /** Where face crops of unknown people are stored, one per sample of a cluster. */
    public static final String UNKNOWN_CROPS_PREFIX = "unknown/";

    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private ResultKeys() {
    }

    public static String time(Instant t) {
        return ISO_MILLIS.format(t);
    }

    public static String cameraPk(String cameraId) {
        return "CAM#" + cameraId;
    }

    public static String frameSk(Instant captureTime, String frameId) {
        return time(captureTime) + "#" + frameId;
    }

    public static String dayPk(Instant t) {
        return "DAY#" + DAY.format(t);
    }

    public static String timeAndCamera(Instant t, String cameraId) {
        return time(t) + "#" + part(cameraId);
    }

    public static String sightingPk(String frameId) {
        return "SIGHT#" + frameId;
    }

    public static String personPk(String name) {
        return "PERSON#" + name;
    }

    public static String enrolmentPk(String name) {
        return "ENROL#" + name;
    }

    public static String cooldownPk(String cameraId, String name) {
        return "COOLDOWN#" + part(cameraId) + "#" + part(name);
    }

    public static String tracksPk(String cameraId) {
        return "TRACKS#" + part(cameraId);
    }

    /** A cluster's sort key: its number, zero-padded so clusters sort by number. */
    public static String clusterSk(long number) {
        return String.format(java.util.Locale.ROOT, "%s%06d", CLUSTER_SK_PREFIX, number);
    }

    /** One part of a composite key: '%' and '#' escaped as in a URL, so '#' only ever separates. */
    public static String part(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('#') < 0) {
            return s;
        }
        return s.replace("%", "%25").replace("#", "%23");
    }
}
