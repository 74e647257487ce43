package io.facerec.archiver.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.model.frame.BundleKey;
import io.facerec.model.frame.FrameKey;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The index of one bundle part: which frames it holds and where. It is the tar's last member and
 * also lies beside the tar in S3 (readable while the tar is in Glacier), byte for byte the same.
 * {@link #parse} accepts only an index whose members lie exactly where {@link TarBundleWriter} puts
 * them, so {@link #tarLength} tells from a HEAD alone whether the tar holds these members.
 */
public record BundleIndex(String format, String camera, String hour, int part, String bundle, int frameCount,
                          List<IndexEntry> frames) {
    public static final String FORMAT = "facerec-bundle/1";
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public static BundleIndex of(BundleKey part, List<IndexEntry> frames) {
        return new BundleIndex(FORMAT, part.cameraId(), part.hour().toString(), part.part(), part.tarKey(),
                frames.size(), List.copyOf(frames));
    }

    public BundleKey bundleKey() {
        return new BundleKey(camera, Instant.parse(hour), part);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and checks an index: its own part, member count, names, checksums and tar layout. */
    public static BundleIndex parse(byte[] json, BundleKey expected) throws InvalidIndexException {
        BundleIndex idx;
        try {
            idx = JSON.readValue(json, BundleIndex.class);
        } catch (IOException e) {
            throw new InvalidIndexException(expected.indexKey() + " is not a bundle index: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        idx.check(expected);
        return idx;
    }

    private void check(BundleKey expected) throws InvalidIndexException {
        String where = expected.indexKey() + ": ";
        if (!FORMAT.equals(format)) {
            throw new InvalidIndexException(where + "format '" + format + "', expected '" + FORMAT + "'");
        }
        if (!expected.tarKey().equals(bundle) || !expected.cameraId().equals(camera)
                || !expected.hour().toString().equals(hour) || expected.part() != part) {
            throw new InvalidIndexException(where + "describes " + bundle + ", not " + expected.tarKey());
        }
        if (frames == null || frames.size() != frameCount) {
            throw new InvalidIndexException(where + "lists " + (frames == null ? 0 : frames.size())
                    + " frames but declares " + frameCount);
        }
        long next = TarBundleWriter.RECORD;
        for (IndexEntry e : frames) {
            FrameKey k = FrameKey.parse(e.key()).orElse(null);
            if (k == null || !expected.holdsHourOf(k) || !e.key().endsWith("/" + e.name())) {
                throw new InvalidIndexException(where + "frame " + e.key() + " does not belong to this hour");
            }
            if (e.sha256() == null || !SHA256.matcher(e.sha256()).matches()) {
                throw new InvalidIndexException(where + "frame " + e.key() + " has no SHA-256");
            }
            if (e.offset() != next || e.length() < 0) {
                throw new InvalidIndexException(where + "frame " + e.key() + " at offset " + e.offset()
                        + ", expected " + next);
            }
            next = e.offset() + TarBundleWriter.padded(e.length()) + TarBundleWriter.RECORD;
        }
    }

    /** Where the index member's own bytes start in the tar. */
    public long indexOffset() {
        if (frames.isEmpty()) {
            return TarBundleWriter.RECORD;
        }
        IndexEntry last = frames.get(frames.size() - 1);
        return last.offset() + TarBundleWriter.padded(last.length()) + TarBundleWriter.RECORD;
    }

    /** The length of the tar this index describes, given the index's own length in bytes. */
    public long tarLength(long indexBytes) {
        return indexOffset() + TarBundleWriter.padded(indexBytes) + TarBundleWriter.END_OF_ARCHIVE;
    }

    /** The index does not describe its part, or is not an index at all. */
    public static final class InvalidIndexException extends Exception {
        public InvalidIndexException(String message) {
            super(message);
        }
    }
}
