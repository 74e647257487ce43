package io.facerec.archiver.config;

import io.facerec.model.config.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The archiver's settings, read once at init and validated: a bad value stops the start with every
 * problem listed.
 *
 * @param hotWindow how long frames stay in {@code frames/} after their hour has ended (days in AWS,
 *                  minutes in the local stack)
 * @param runway    the time an hour needs: no new hour is started with less than this left in the run
 */
public record ArchiverConfig(
        String bucket,
        Duration hotWindow,
        String storageClass,
        int readParallelism,
        int partSizeBytes,
        long readBufferBytes,
        Duration runway,
        Optional<URI> s3Endpoint) {

    /** The archive classes a bundle may be written in; GLACIER_IR is readable without a restore. */
    public static final List<String> STORAGE_CLASSES = List.of("GLACIER", "DEEP_ARCHIVE", "GLACIER_IR");
    public static final int DEFAULT_HOT_MINUTES = 30 * 24 * 60;
    /** S3's smallest multipart part (except the last). */
    public static final int MIN_PART_MB = 5;

    public static ArchiverConfig fromEnvironment() {
        return from(System.getenv());
    }

    public static ArchiverConfig from(Map<String, String> env) {
        SettingsReader r = SettingsReader.of(env);
        String bucket = r.required("FRAMES_BUCKET");
        long hot = r.whole("HOT_MINUTES", DEFAULT_HOT_MINUTES, 0, 3650L * 24 * 60);
        String storageClass = r.string("ARCHIVE_STORAGE_CLASS", "GLACIER").toUpperCase(Locale.ROOT);
        if (!STORAGE_CLASSES.contains(storageClass)) {
            r.problem("ARCHIVE_STORAGE_CLASS must be one of " + STORAGE_CLASSES + ", got '" + storageClass + "'");
        }
        int parallel = r.integer("READ_PARALLELISM", 16, 1, 64);
        int partMb = r.integer("PART_SIZE_MB", 16, MIN_PART_MB, 512);
        int bufferMb = r.integer("READ_BUFFER_MB", 16, 1, 1024);
        int runway = r.integer("HOUR_RUNWAY_S", 120, 0, 900);
        Optional<URI> s3 = r.url("AWS_ENDPOINT_URL_S3").or(() -> r.url("AWS_ENDPOINT_URL"));
        r.finish();
        return new ArchiverConfig(bucket, Duration.ofMinutes(hot), storageClass, parallel, partMb * 1024 * 1024,
                bufferMb * 1024L * 1024, Duration.ofSeconds(runway), s3);
    }
}
