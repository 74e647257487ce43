package io.facerec.archiver.bundle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.model.frame.BundleKey;
import io.facerec.model.frame.FrameKey;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

class TarBundleWriterTest {
    static final BundleKey PART = new BundleKey("cam1", Instant.parse("2026-03-04T13:00:00Z"), 0);

    record Written(byte[] tar, byte[] index, List<byte[]> frames, BundleIndex idx) {
    }

    static Written write() throws IOException {
        return write(7);
    }

    /** The first {@code n} of 7 frames of awkward sizes around the 512-byte record, the sixth streamed. */
    static Written write(int n) throws IOException {
        Random r = new Random(1);
        int[] sizes = Arrays.copyOf(new int[] {0, 1, 511, 512, 513, 30_000, 1024}, n);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarBundleWriter w = new TarBundleWriter(out);
        List<byte[]> frames = new ArrayList<>();
        long t = PART.hour().toEpochMilli();
        for (int i = 0; i < sizes.length; i++) {
            byte[] b = new byte[sizes[i]];
            r.nextBytes(b);
            frames.add(b);
            FrameKey k = new FrameKey("cam1", t + i * 1000L + 7, i);
            String name = k.toKey().substring(k.toKey().lastIndexOf('/') + 1);
            if (i == 5) {
                w.add(k.toKey(), name, k.captureTime(), "\"etag" + i + "\"", b.length, new ByteArrayInputStream(b));
            } else {
                w.add(k.toKey(), name, k.captureTime(), "\"etag" + i + "\"", b, TarBundleWriter.sha256Hex(b));
            }
        }
        BundleIndex idx = BundleIndex.of(PART, w.entries());
        byte[] json = idx.toJson();
        long length = w.finish(PART.indexMemberName(), json, Instant.parse("2026-04-03T14:00:00Z"));
        assertEquals(out.size(), length);
        return new Written(out.toByteArray(), json, frames, idx);
    }

    @Test
    void aStandardTarReaderSeesEveryFrameThenTheIndex() throws Exception {
        for (int n = 1; n <= 7; n++) {
            readBack(write(n));
        }
    }

    static void readBack(Written w) throws Exception {
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(w.tar()))) {
            int i = 0;
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                byte[] content = in.readAllBytes();
                if (i < w.frames().size()) {
                    assertArrayEquals(w.frames().get(i), content, e.getName());
                    IndexEntry ie = w.idx().frames().get(i);
                    assertEquals(Instant.parse(ie.captureTime()).getEpochSecond(), e.getModTime().toInstant().getEpochSecond());
                    assertArrayEquals(content, Arrays.copyOfRange(w.tar(), (int) ie.offset(), (int) (ie.offset() + ie.length())),
                            "offset and length in the index");
                    assertEquals(TarBundleWriter.sha256Hex(content), ie.sha256());
                } else {
                    assertArrayEquals(w.index(), content);
                }
                i++;
            }
        }
        assertEquals(w.frames().size() + 1, names.size());
        assertEquals("13.index.json", names.getLast());
        assertEquals(w.tar().length, w.idx().tarLength(w.index().length), "the length an index predicts");
        assertArrayEquals(w.index(), Arrays.copyOfRange(w.tar(), (int) w.idx().indexOffset(),
                (int) w.idx().indexOffset() + w.index().length));
        assertEquals(w.idx(), BundleIndex.parse(w.index(), PART));
    }

    @Test
    void aStreamedFrameMustHoldExactlyItsAnnouncedLength() {
        TarBundleWriter w = new TarBundleWriter(new ByteArrayOutputStream());
        Instant t = PART.hour();
        IOException shortOne = assertThrows(IOException.class, () -> w.add("frames/cam1/2026/03/04/1-1.jpg", "1-1.jpg", t,
                null, 10, new ByteArrayInputStream(new byte[5])));
        assertTrue(shortOne.getMessage().contains("ended after 5 of 10"), shortOne.getMessage());
        TarBundleWriter w2 = new TarBundleWriter(new ByteArrayOutputStream());
        IOException longOne = assertThrows(IOException.class, () -> w2.add("frames/cam1/2026/03/04/1-1.jpg", "1-1.jpg", t,
                null, 3, new ByteArrayInputStream(new byte[5])));
        assertTrue(longOne.getMessage().contains("longer than"), longOne.getMessage());
    }
}
