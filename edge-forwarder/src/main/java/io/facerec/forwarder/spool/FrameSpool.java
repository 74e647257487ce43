package io.facerec.forwarder.spool;

import io.facerec.model.frame.FrameKey;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Every sampled frame is written here first and leaves only after S3 confirmed its put, so neither
 * an S3 outage nor a restart loses it. One folder per camera, one file per frame named after its
 * frame key, so a frame keeps one key however often it is retried. Bounded by total size and age:
 * when a cap is hit the oldest frames go first, and each eviction is counted and logged.
 */
public final class FrameSpool {
    private static final Logger LOG = LogManager.getLogger(FrameSpool.class);

    private final Path dir;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private final LongConsumer onEvicted;
    /** camera -> (captureMillis, seq) ordered entries. */
    private final TreeMap<String, TreeMap<FrameKeyOrder, Long>> index = new TreeMap<>();
    private long bytes;

    record FrameKeyOrder(long millis, long seq) implements Comparable<FrameKeyOrder> {
        @Override
        public int compareTo(FrameKeyOrder o) {
            int c = Long.compare(millis, o.millis);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    public FrameSpool(Path dir, long maxBytes, Duration maxAge, Clock clock, LongConsumer onEvicted) throws IOException {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
        this.onEvicted = onEvicted;
        Files.createDirectories(dir);
        recover();
    }

    /** Rebuilds the index from disk: a restart resumes where the last run stopped. */
    private synchronized void recover() throws IOException {
        try (Stream<Path> cams = Files.list(dir)) {
            for (Path cam : cams.filter(Files::isDirectory).toList()) {
                try (Stream<Path> files = Files.list(cam)) {
                    for (Path f : files.toList()) {
                        String name = f.getFileName().toString();
                        if (name.endsWith(".tmp")) {
                            Files.deleteIfExists(f); // a write that did not finish
                            continue;
                        }
                        parse(cam.getFileName().toString(), name).ifPresent(k -> {
                            long size = size(f);
                            index.computeIfAbsent(k.cameraId(), c -> new TreeMap<>())
                                    .put(new FrameKeyOrder(k.captureMillis(), k.sequence()), size);
                            bytes += size;
                        });
                    }
                }
            }
        }
        if (bytes > 0) {
            LOG.info("spool {}: resuming with {} frames ({} bytes)", dir, depth(), bytes);
        }
    }

    /** Writes a frame durably (temp file, fsync, rename), then enforces the caps. */
    public void put(FrameKey key, byte[] jpeg) throws IOException {
        Path camDir = dir.resolve(key.cameraId());
        Files.createDirectories(camDir);
        Path target = camDir.resolve(fileName(key));
        Path tmp = camDir.resolve(fileName(key) + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(jpeg));
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        synchronized (this) {
            Long old = index.computeIfAbsent(key.cameraId(), c -> new TreeMap<>())
                    .put(new FrameKeyOrder(key.captureMillis(), key.sequence()), (long) jpeg.length);
            bytes += jpeg.length - (old == null ? 0 : old);
            enforceCaps();
            notifyAll();
        }
    }

    /** The oldest frame of a camera, or empty. */
    public synchronized Optional<FrameKey> oldest(String cameraId) {
        TreeMap<FrameKeyOrder, Long> m = index.get(cameraId);
        if (m == null || m.isEmpty()) {
            return Optional.empty();
        }
        FrameKeyOrder o = m.firstKey();
        return Optional.of(new FrameKey(cameraId, o.millis(), o.seq()));
    }

    /** Waits up to {@code timeoutMillis} for a frame of the camera. */
    public synchronized Optional<FrameKey> awaitOldest(String cameraId, long timeoutMillis) throws InterruptedException {
        long end = System.currentTimeMillis() + timeoutMillis;
        Optional<FrameKey> k;
        while ((k = oldest(cameraId)).isEmpty()) {
            long left = end - System.currentTimeMillis();
            if (left <= 0) {
                return k;
            }
            wait(left);
        }
        return k;
    }

    public byte[] read(FrameKey key) throws IOException {
        return Files.readAllBytes(dir.resolve(key.cameraId()).resolve(fileName(key)));
    }

    /** Only after S3 confirmed the put. */
    public synchronized void remove(FrameKey key) throws IOException {
        TreeMap<FrameKeyOrder, Long> m = index.get(key.cameraId());
        Long size = m == null ? null : m.remove(new FrameKeyOrder(key.captureMillis(), key.sequence()));
        if (size != null) {
            bytes -= size;
        }
        Files.deleteIfExists(dir.resolve(key.cameraId()).resolve(fileName(key)));
    }

    public synchronized int depth() {
        return index.values().stream().mapToInt(TreeMap::size).sum();
    }

    public synchronized int depth(String cameraId) {
        TreeMap<FrameKeyOrder, Long> m = index.get(cameraId);
        return m == null ? 0 : m.size();
    }

    public synchronized long bytes() {
        return bytes;
    }

    private void enforceCaps() {
        long oldestAllowed = clock.millis() - maxAge.toMillis();
        List<FrameKey> evict = new ArrayList<>();
        // age: anything older than the cap
        for (var e : index.entrySet()) {
            for (FrameKeyOrder o : e.getValue().keySet()) {
                if (o.millis() >= oldestAllowed) {
                    break;
                }
                evict.add(new FrameKey(e.getKey(), o.millis(), o.seq()));
            }
        }
        long projected = bytes - evict.stream().mapToLong(k -> index.get(k.cameraId())
                .get(new FrameKeyOrder(k.captureMillis(), k.sequence()))).sum();
        if (projected > maxBytes) {
            // size: the oldest frames across all cameras first
            List<FrameKey> all = new ArrayList<>();
            index.forEach((cam, m) -> m.keySet().forEach(o -> all.add(new FrameKey(cam, o.millis(), o.seq()))));
            all.sort(Comparator.comparingLong(FrameKey::captureMillis).thenComparingLong(FrameKey::sequence));
            for (FrameKey k : all) {
                if (projected <= maxBytes) {
                    break;
                }
                if (!evict.contains(k)) {
                    evict.add(k);
                    projected -= index.get(k.cameraId()).get(new FrameKeyOrder(k.captureMillis(), k.sequence()));
                }
            }
        }
        for (FrameKey k : evict) {
            try {
                remove(k);
                onEvicted.accept(1);
                LOG.warn("spool full or frame too old: dropped {} (spool cap {} bytes, {} h)", k.toKey(), maxBytes,
                        maxAge.toHours());
            } catch (IOException e) {
                LOG.warn("could not drop spooled frame {}: {}", k.toKey(), e.toString());
            }
        }
    }

    static String fileName(FrameKey k) {
        return k.captureMillis() + "-" + k.sequence() + ".jpg";
    }

    static Optional<FrameKey> parse(String cameraId, String fileName) {
        var m = java.util.regex.Pattern.compile("(\\d{1,19})-(\\d{1,19})\\.jpg").matcher(fileName);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new FrameKey(cameraId, Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static long size(Path f) {
        try {
            return Files.size(f);
        } catch (IOException e) {
            return 0;
        }
    }
}
