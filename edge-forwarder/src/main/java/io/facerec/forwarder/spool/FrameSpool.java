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
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Every sampled frame is written here first and leaves only after S3 confirmed its put, so neither
 * an S3 outage nor a restart loses it. One folder per camera, one file per frame named after its
 * frame key, so a frame keeps one key however often it is retried. A frame is written to a temp
 * file, fsynced, renamed, and the folder fsynced, so after a power cut a frame is either whole or
 * absent; a removal is fsynced the same way. Bounded by total size and age: when a cap is hit the
 * oldest frames go first, and each eviction is reported with its camera and logged. A full disk is
 * a cap too: the partial temp file goes, the oldest frames make room, and the write is tried again.
 */
public final class FrameSpool {
    private static final Logger LOG = LogManager.getLogger(FrameSpool.class);

    private final Path dir;
    private final long maxBytes;
    private final Duration maxAge;
    private final Clock clock;
    private final Consumer<FrameKey> onEvicted;
    private final Disk disk;
    private final java.util.Set<Path> knownDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();
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

    /** The file system calls that make a frame durable; a seam for the tests. */
    public interface Disk {
        /** Writes and fsyncs a new file. */
        void write(Path file, byte[] data) throws IOException;

        /** Makes the folder's entries (renames, deletions) durable. */
        void syncDirectory(Path dir) throws IOException;

        Disk REAL = new Disk() {
            @Override
            public void write(Path file, byte[] data) throws IOException {
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
            }

            @Override
            public void syncDirectory(Path dir) throws IOException {
                try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
                    ch.force(true);
                }
            }
        };
    }

    public FrameSpool(Path dir, long maxBytes, Duration maxAge, Clock clock, Consumer<FrameKey> onEvicted)
            throws IOException {
        this(dir, maxBytes, maxAge, clock, onEvicted, Disk.REAL);
    }

    public FrameSpool(Path dir, long maxBytes, Duration maxAge, Clock clock, Consumer<FrameKey> onEvicted, Disk disk)
            throws IOException {
        this.disk = disk;
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.maxAge = maxAge;
        this.clock = clock;
        this.onEvicted = onEvicted;
        Files.createDirectories(dir);
        Files.delete(Files.createTempFile(dir, ".write-probe", ".tmp")); // unwritable: say so at start, not at the first frame
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
                            disk.syncDirectory(cam);
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

    /**
     * Writes a frame durably (temp file, fsync, rename, folder fsync), then enforces the caps. On a
     * full disk the oldest frames are dropped to make room; the frame itself is refused only when
     * nothing is left to drop.
     */
    public void put(FrameKey key, byte[] jpeg) throws IOException {
        Path camDir = cameraDir(key.cameraId());
        Path target = camDir.resolve(fileName(key));
        Path tmp = camDir.resolve(fileName(key) + ".tmp");
        while (true) {
            try {
                disk.write(tmp, jpeg);
                break;
            } catch (IOException e) {
                Files.deleteIfExists(tmp); // never leave a partial frame behind
                if (!isDiskFull(e)) {
                    throw e;
                }
                if (!evictForSpace(jpeg.length)) {
                    throw new IOException("disk full and nothing left in the spool to drop", e);
                }
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        disk.syncDirectory(camDir);
        synchronized (this) {
            Long old = index.computeIfAbsent(key.cameraId(), c -> new TreeMap<>())
                    .put(new FrameKeyOrder(key.captureMillis(), key.sequence()), (long) jpeg.length);
            bytes += jpeg.length - (old == null ? 0 : old);
            enforceCaps();
            notifyAll();
        }
    }

    private Path cameraDir(String cameraId) throws IOException {
        Path camDir = dir.resolve(cameraId);
        if (!knownDirs.contains(camDir)) {
            if (!Files.isDirectory(camDir)) {
                Files.createDirectories(camDir);
                disk.syncDirectory(dir);
            }
            knownDirs.add(camDir);
        }
        return camDir;
    }

    static boolean isDiskFull(IOException e) {
        String m = e instanceof java.nio.file.FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"));
    }

    /** Drops the oldest frames across cameras until {@code needed} bytes are freed; false when the spool is empty. */
    private synchronized boolean evictForSpace(long needed) {
        long freed = 0;
        while (freed < needed) {
            Optional<FrameKey> oldest = oldestOverall();
            if (oldest.isEmpty()) {
                return freed > 0;
            }
            FrameKey k = oldest.get();
            long size = index.get(k.cameraId()).get(new FrameKeyOrder(k.captureMillis(), k.sequence()));
            try {
                remove(k);
            } catch (IOException e) {
                LOG.warn("could not drop spooled frame {}: {}", k.toKey(), e.toString());
                return false;
            }
            freed += size;
            onEvicted.accept(k);
            LOG.warn("disk full: dropped the oldest spooled frame {} to make room", k.toKey());
        }
        return true;
    }

    private Optional<FrameKey> oldestOverall() {
        FrameKey best = null;
        for (var e : index.entrySet()) {
            if (!e.getValue().isEmpty()) {
                FrameKeyOrder o = e.getValue().firstKey();
                FrameKey k = new FrameKey(e.getKey(), o.millis(), o.seq());
                if (best == null || o.compareTo(new FrameKeyOrder(best.captureMillis(), best.sequence())) < 0) {
                    best = k;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Capture time of the oldest spooled frame of any camera, or empty. */
    public synchronized Optional<Long> oldestMillis() {
        return oldestOverall().map(FrameKey::captureMillis);
    }

    /** Capture time of the camera's oldest spooled frame, or empty. */
    public synchronized Optional<Long> oldestMillis(String cameraId) {
        return oldest(cameraId).map(FrameKey::captureMillis);
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
        Path camDir = dir.resolve(key.cameraId());
        if (Files.deleteIfExists(camDir.resolve(fileName(key)))) {
            disk.syncDirectory(camDir);
        }
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
                onEvicted.accept(k);
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
