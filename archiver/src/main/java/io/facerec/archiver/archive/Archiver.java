package io.facerec.archiver.archive;

import io.facerec.archiver.aws.S3Clients;
import io.facerec.archiver.config.ArchiverConfig;
import io.facerec.archiver.store.S3ArchiveStore;
import io.facerec.model.frame.FrameKey;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;

/**
 * One archiving run: every camera under {@code frames/}, each closed hour older than the hot window
 * bundled by {@link HourArchiver}. Cameras take turns an hour at a time, oldest hour first, so a
 * camera with a long backlog does not starve the others; a new hour is not started when less than
 * the runway is left, and the next run continues where this one stopped.
 */
public final class Archiver implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(Archiver.class);

    private final S3Client s3;
    private final ArchiverConfig config;
    private final Clock clock;
    private final ExecutorService readers;
    private final ExecutorService uploader;
    private final HourArchiver hours;

    public Archiver(S3Client s3, ArchiverConfig config, Clock clock) {
        this.s3 = s3;
        this.config = config;
        this.clock = clock;
        this.readers = Executors.newFixedThreadPool(config.readParallelism(), daemon("archiver-read"));
        this.uploader = Executors.newSingleThreadExecutor(daemon("archiver-upload"));
        this.hours = new HourArchiver(s3, new S3ArchiveStore(s3, config.bucket()), config.bucket(),
                config.storageClass(), config.partSizeBytes(), config.readParallelism(), config.readBufferBytes(),
                readers, uploader, clock);
    }

    /** The production wiring: settings from the environment, the one S3 client. */
    public static Archiver fromEnvironment() {
        ArchiverConfig config = ArchiverConfig.fromEnvironment();
        LOG.info("archiving s3://{}/{} after {} as {}", config.bucket(), FrameKey.PREFIX, config.hotWindow(),
                config.storageClass());
        return new Archiver(S3Clients.create(config.s3Endpoint(), config.readParallelism()), config, Clock.systemUTC());
    }

    public ArchiverConfig config() {
        return config;
    }

    public RunSummary run(Instant deadline) {
        long t0 = System.nanoTime();
        Instant cutoff = clock.instant().minus(config.hotWindow());
        List<String> cameras = cameras();
        Deque<CameraCursor> turns = new ArrayDeque<>();
        List<CameraCursor> all = new ArrayList<>();
        for (String c : cameras) {
            CameraCursor cursor = new CameraCursor(s3, config.bucket(), c, cutoff);
            turns.add(cursor);
            all.add(cursor);
        }
        int archivedHours = 0;
        int failedHours = 0;
        int bundles = 0;
        int late = 0;
        int frames = 0;
        long bytes = 0;
        int deleted = 0;
        boolean stopped = false;
        Instant oldestFailed = null;
        List<String> errors = new ArrayList<>();
        while (!turns.isEmpty()) {
            if (clock.instant().plus(config.runway()).isAfter(deadline)) {
                stopped = true;
                break;
            }
            CameraCursor c = turns.pollFirst();
            Optional<CameraCursor.HourGroup> g = c.next();
            if (g.isEmpty()) {
                continue;
            }
            try {
                HourArchiver.HourResult r = hours.archive(g.get().hour(), g.get().frames());
                archivedHours++;
                if (r.part() >= 0) {
                    bundles++;
                    late += r.part() > 0 ? 1 : 0;
                }
                frames += r.framesArchived();
                bytes += r.bundleBytes();
                deleted += r.framesDeleted();
            } catch (Exception e) {
                failedHours++;
                String msg = g.get().hour().tarKey() + ": " + e.getMessage();
                LOG.error("archiving {} failed; its frames stay in frames/ for the next run", g.get().hour().tarKey(), e);
                if (errors.size() < 10) {
                    errors.add(msg);
                }
                Instant first = g.get().frames().getFirst().key().captureTime();
                oldestFailed = oldestFailed == null || first.isBefore(oldestFailed) ? first : oldestFailed;
            }
            turns.addLast(c);
        }
        Instant oldest = oldestFailed;
        int skipped = 0;
        for (CameraCursor c : all) {
            skipped += c.skipped();
            Optional<Instant> left = c.oldestLeft();
            if (left.isPresent() && (oldest == null || left.get().isBefore(oldest))) {
                oldest = left.get();
            }
        }
        RunSummary s = new RunSummary(cameras.size(), archivedHours, failedHours, bundles, late, frames, bytes, deleted,
                skipped, stopped, Optional.ofNullable(oldest), List.copyOf(errors), (System.nanoTime() - t0) / 1_000_000);
        if (bundles > 0 || deleted > 0 || failedHours > 0 || stopped) {
            LOG.info("run done: {}", s);
        } else {
            LOG.debug("run done: nothing to archive");
        }
        return s;
    }

    private List<String> cameras() {
        List<String> out = new ArrayList<>();
        for (var page : s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(FrameKey.PREFIX).delimiter("/"))) {
            for (CommonPrefix p : page.commonPrefixes()) {
                String cam = p.prefix().substring(FrameKey.PREFIX.length(), p.prefix().length() - 1);
                if (FrameKey.CAMERA_ID.matcher(cam).matches()) {
                    out.add(cam);
                }
            }
        }
        return out;
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        readers.shutdownNow();
        uploader.shutdownNow();
    }
}
