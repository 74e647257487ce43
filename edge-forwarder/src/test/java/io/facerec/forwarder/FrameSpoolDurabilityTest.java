package io.facerec.forwarder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.spool.FrameSpool;
import io.facerec.model.frame.FrameKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Power cuts and full disks: what the spool makes durable, and what it does when the disk says no. */
class FrameSpoolDurabilityTest {
    static final Clock NOW = Clock.fixed(Instant.ofEpochMilli(10_000_000), ZoneOffset.UTC);

    /** The real disk, with each folder fsync noted together with what the folder held at that moment. */
    static final class WatchedDisk implements FrameSpool.Disk {
        final List<String> syncs = new ArrayList<>();
        int fullFor; // the next writes that find the disk full

        @Override
        public void write(Path file, byte[] data) throws IOException {
            if (fullFor > 0) {
                fullFor--;
                Files.write(file, java.util.Arrays.copyOf(data, data.length / 2)); // what got out before the disk filled
                throw diskFull();
            }
            FrameSpool.Disk.REAL.write(file, data);
        }

        @Override
        public void syncDirectory(Path dir) throws IOException {
            try (Stream<Path> s = Files.list(dir)) {
                syncs.add(dir.getFileName() + ":" + s.map(p -> p.getFileName().toString()).sorted().toList());
            }
            FrameSpool.Disk.REAL.syncDirectory(dir);
        }
    }

    /** The kernel's own ENOSPC where /dev/full exists, as FileChannel reports it. */
    static IOException diskFull() {
        Path full = Path.of("/dev/full");
        if (Files.exists(full)) {
            try (FileChannel ch = FileChannel.open(full, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(new byte[4096]));
                ch.force(true);
            } catch (IOException e) {
                return e;
            }
        }
        return new IOException("No space left on device");
    }

    @Test
    void renamesAndDeletionsAreFollowedByAFolderFsync(@TempDir Path dir) throws Exception {
        WatchedDisk disk = new WatchedDisk();
        FrameSpool s = new FrameSpool(dir, 1 << 20, Duration.ofHours(1), NOW, k -> { }, disk);
        FrameKey k = new FrameKey("door", 9_999_000, 1);
        s.put(k, new byte[] {1, 2, 3});
        // the new camera folder is made durable in the spool folder, then the frame's rename in the camera folder
        assertEquals(List.of(dir.getFileName() + ":[door]", "door:[9999000-1.jpg]"), disk.syncs);
        disk.syncs.clear();
        s.put(new FrameKey("door", 9_999_100, 2), new byte[] {4});
        assertEquals(List.of("door:[9999000-1.jpg, 9999100-2.jpg]"), disk.syncs, "a known folder is not synced again");
        disk.syncs.clear();
        s.remove(k);
        assertEquals(List.of("door:[9999100-2.jpg]"), disk.syncs, "the deletion made durable");
    }

    @Test
    void aFullDiskDropsTheOldestFramesLeavesNoPartialFileAndKeepsTheNewFrame(@TempDir Path dir) throws Exception {
        WatchedDisk disk = new WatchedDisk();
        List<FrameKey> evicted = new ArrayList<>();
        FrameSpool s = new FrameSpool(dir, 1 << 20, Duration.ofHours(1), NOW, evicted::add, disk);
        FrameKey a0 = new FrameKey("a", 9_000_001, 0);
        FrameKey b0 = new FrameKey("b", 9_000_002, 0);
        FrameKey a1 = new FrameKey("a", 9_000_003, 1);
        s.put(a0, new byte[100]);
        s.put(b0, new byte[100]);
        s.put(a1, new byte[100]);
        disk.fullFor = 2; // two tries find the disk full: two oldest frames must go
        FrameKey fresh = new FrameKey("b", 9_000_004, 1);
        byte[] freshBytes = new byte[100];
        java.util.Arrays.fill(freshBytes, (byte) 7);
        s.put(fresh, freshBytes);
        assertEquals(List.of(a0, b0), evicted, "the oldest first, across cameras, each reported with its camera");
        assertEquals(2, s.depth());
        assertEquals(new FrameKey("a", 9_000_003, 1), s.oldest("a").orElseThrow());
        assertEquals(fresh, s.oldest("b").orElseThrow());
        assertArrayEquals(freshBytes, s.read(fresh));
        try (Stream<Path> files = Files.walk(dir)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".tmp")), "no partial temp file left");
        }
    }

    @Test
    void aFullDiskWithNothingToDropRefusesTheFrameCleanly(@TempDir Path dir) throws Exception {
        WatchedDisk disk = new WatchedDisk();
        FrameSpool s = new FrameSpool(dir, 1 << 20, Duration.ofHours(1), NOW, k -> { }, disk);
        disk.fullFor = 1;
        IOException e = assertThrows(IOException.class, () -> s.put(new FrameKey("a", 9_000_001, 0), new byte[10]));
        assertTrue(e.getMessage().startsWith("disk full"), e.getMessage());
        assertEquals(0, s.depth());
        assertArrayEquals(new String[0], dir.resolve("a").toFile().list(), "no partial temp file left");
        s.put(new FrameKey("a", 9_000_002, 1), new byte[] {1});
        assertEquals(1, s.depth(), "the next frame goes in once there is room");
    }
}
