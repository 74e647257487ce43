package io.facerec.localstack;

import io.facerec.archiver.archive.Archiver;
import io.facerec.archiver.archive.RunSummary;
import io.facerec.archiver.config.ArchiverConfig;
import io.facerec.model.config.ConfigException;
import io.facerec.model.config.SettingsReader;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The archiver as the schedule runs it in AWS, here every few minutes and with a hot window of
 * minutes instead of days, against the local S3: an hour's frames become a bundle that many minutes
 * after the hour ends.
 */
public final class LocalArchiver implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(LocalArchiver.class);

    /** {@code ARCHIVE_EVERY_MIN} (1), {@code ARCHIVE_HOT_MIN} (10), {@code ARCHIVE_STORAGE_CLASS} (GLACIER). */
    public record Settings(int everyMinutes, int hotMinutes, String storageClass) {
        public static Settings fromEnvironment() {
            return from(System.getenv());
        }

        public static Settings from(Map<String, String> env) {
            SettingsReader r = SettingsReader.of(env);
            Settings s = new Settings(r.integer("ARCHIVE_EVERY_MIN", 1, 1, 1440), r.integer("ARCHIVE_HOT_MIN", 10, 0, 100_000),
                    r.string("ARCHIVE_STORAGE_CLASS", "GLACIER"));
            try {
                r.finish();
            } catch (ConfigException e) {
                throw new IllegalStateException(String.join("; ", e.problems()));
            }
            return s;
        }
    }

    private final Archiver archiver;
    private final Settings settings;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "archiver-timer");
        t.setDaemon(true);
        return t;
    });

    public LocalArchiver(S3Client s3, String bucket, Settings settings) {
        this.settings = settings;
        ArchiverConfig config;
        try {
            config = ArchiverConfig.from(Map.of("FRAMES_BUCKET", bucket, "HOT_MINUTES", Integer.toString(settings.hotMinutes()),
                    "ARCHIVE_STORAGE_CLASS", settings.storageClass(), "READ_PARALLELISM", "4"));
        } catch (ConfigException e) {
            throw new IllegalStateException(String.join("; ", e.problems()));
        }
        this.archiver = new Archiver(s3, config, Clock.systemUTC());
        timer.scheduleWithFixedDelay(this::runQuietly, settings.everyMinutes(), settings.everyMinutes(), TimeUnit.MINUTES);
    }

    public Settings settings() {
        return settings;
    }

    /** One run now (a timer run in progress finishes first). */
    public synchronized RunSummary runNow() {
        return archiver.run(Clock.systemUTC().instant().plus(Duration.ofMinutes(10)));
    }

    private void runQuietly() {
        try {
            RunSummary s = runNow();
            if (s.bundlesWritten() > 0 || s.hoursFailed() > 0) {
                LOG.info("archiver: {}", s);
            }
        } catch (RuntimeException e) {
            LOG.warn("archiver run failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        archiver.close();
    }
}
