package io.facerec.archiver.bundle;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes a bundle as a plain ustar archive: one member per frame, in capture order, then the index.
 * Every member is a 512-byte header and its bytes padded to 512, so a frame's offset is known the
 * moment its header is written; the writer checks that against the bytes that really went out.
 */
public final class TarBundleWriter {
    public static final int RECORD = 512;
    /** Two zero records end a tar; with 512-byte blocks nothing pads after them. */
    public static final int END_OF_ARCHIVE = 2 * RECORD;
    private static final int FILE_MODE = 0100644;

    private final Counting out;
    private final TarArchiveOutputStream tar;
    private final List<IndexEntry> entries = new ArrayList<>();
    private final byte[] copyBuffer = new byte[64 * 1024];

    public TarBundleWriter(OutputStream sink) {
        out = new Counting(sink);
        // a block of one record: every record reaches `out` as soon as it is complete, so the count is exact
        tar = new TarArchiveOutputStream(out, RECORD);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_ERROR);
    }

    public static long padded(long length) {
        return (length + RECORD - 1) / RECORD * RECORD;
    }

    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Adds a frame already in memory, whose SHA-256 was taken when it was read. */
    public IndexEntry add(String key, String name, Instant captureTime, String etag, byte[] bytes, String sha256)
            throws IOException {
        long offset = begin(name, captureTime, bytes.length);
        tar.write(bytes);
        return end(key, name, captureTime, etag, offset, bytes.length, sha256);
    }

    /** Adds a frame streamed from {@code in}, which must hold exactly {@code length} bytes. */
    public IndexEntry add(String key, String name, Instant captureTime, String etag, long length, InputStream in)
            throws IOException {
        long offset = begin(name, captureTime, length);
        MessageDigest sha = sha256();
        long copied = 0;
        for (int n; (n = in.read(copyBuffer)) > 0; copied += n) {
            if (copied + n > length) {
                throw new IOException(key + " is longer than the " + length + " bytes announced");
            }
            sha.update(copyBuffer, 0, n);
            tar.write(copyBuffer, 0, n);
        }
        if (copied != length) {
            throw new IOException(key + " ended after " + copied + " of " + length + " bytes");
        }
        return end(key, name, captureTime, etag, offset, length, HexFormat.of().formatHex(sha.digest()));
    }

    private long begin(String name, Instant time, long length) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(length);
        e.setMode(FILE_MODE);
        e.setLastModifiedTime(FileTime.from(time));
        tar.putArchiveEntry(e);
        long offset = out.count;
        long expected = entries.isEmpty() ? RECORD
                : entries.getLast().offset() + padded(entries.getLast().length()) + RECORD;
        if (offset != expected) {
            throw new IOException("tar member " + name + " landed at " + offset + ", expected " + expected);
        }
        return offset;
    }

    private IndexEntry end(String key, String name, Instant time, String etag, long offset, long length, String sha)
            throws IOException {
        tar.closeArchiveEntry();
        IndexEntry e = new IndexEntry(key, name, time.toString(), offset, length, sha, etag);
        entries.add(e);
        return e;
    }

    public List<IndexEntry> entries() {
        return List.copyOf(entries);
    }

    /** Writes the index member and the end of the archive; returns the tar's length. */
    public long finish(String indexName, byte[] indexJson, Instant time) throws IOException {
        long offset = begin(indexName, time, indexJson.length);
        tar.write(indexJson);
        tar.closeArchiveEntry();
        tar.finish();
        tar.flush();
        if (out.count != offset + padded(indexJson.length) + END_OF_ARCHIVE) {
            throw new IOException("tar ended at " + out.count + ", not where its index says");
        }
        return out.count;
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void close() {
            // the sink belongs to the caller
        }
    }
}
