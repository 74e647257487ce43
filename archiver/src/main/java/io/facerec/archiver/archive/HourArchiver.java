package io.facerec.archiver.archive;

import io.facerec.archiver.bundle.BundleIndex;
import io.facerec.archiver.bundle.IndexEntry;
import io.facerec.archiver.bundle.TarBundleWriter;
import io.facerec.archiver.store.ArchiveStore;
import io.facerec.archiver.store.BundleState;
import io.facerec.archiver.store.StoredPart;
import io.facerec.model.frame.BundleKey;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Archives one camera-hour, safely at every step:
 * <ol>
 * <li>the hour's parts already in {@code archive/} are read back and verified; the frames they hold
 * (same key, same ETag) are only left to delete;</li>
 * <li>the other frames are read in parallel and streamed into a new part (the first part number
 * without a tar): the index is put first, then the tar is committed, so a tar never exists without
 * its index, and an index alone marks a write that died (its number is reused);</li>
 * <li>the new part is verified: its index read back byte for byte (member count and checksums),
 * the tar's length from a HEAD equal to the one its index describes, and, when the class allows a
 * GET, the index member inside the tar;</li>
 * <li>only then are the originals deleted, in batches, and only those whose ETag is still the one
 * archived.</li>
 * </ol>
 * A run that dies anywhere leaves every frame in {@code frames/} or in a verified part; the next run
 * picks up from what S3 shows and writes no second copy of a frame.
 */
final class HourArchiver {
    private static final Logger LOG = LogManager.getLogger(HourArchiver.class);
    /** DeleteObjects takes at most 1,000 keys. */
    static final int DELETE_BATCH = 1000;

    private final S3Client s3;
    private final ArchiveStore store;
    private final String bucket;
    private final String storageClass;
    private final int partSize;
    private final int parallelism;
    private final long readBuffer;
    private final ExecutorService readers;
    private final ExecutorService uploader;
    private final Clock clock;

    HourArchiver(S3Client s3, ArchiveStore store, String bucket, String storageClass, int partSize, int parallelism,
                 long readBuffer, ExecutorService readers, ExecutorService uploader, Clock clock) {
        this.s3 = s3;
        this.store = store;
        this.bucket = bucket;
        this.storageClass = storageClass;
        this.partSize = partSize;
        this.parallelism = parallelism;
        this.readBuffer = readBuffer;
        this.readers = readers;
        this.uploader = uploader;
        this.clock = clock;
    }

    /** What one hour came to. {@code part} is the part written, or -1. */
    record HourResult(BundleKey hour, int part, int framesArchived, long bundleBytes, int alreadyArchived,
                      int framesDeleted) {
    }

    HourResult archive(BundleKey hour, List<ListedFrame> listed) throws IOException, BundleIndex.InvalidIndexException {
        Map<String, IndexEntry> archived = new HashMap<>();
        Set<Integer> taken = new HashSet<>();
        for (StoredPart p : store.partsOfHour(hour)) {
            if (p.hasTar()) {
                taken.add(p.key().part());
            }
            if (p.complete()) {
                for (IndexEntry e : verify(p.key(), null).frames()) {
                    archived.putIfAbsent(e.key(), e);
                }
            } else if (p.hasTar()) {
                // not written by this archiver (it puts the index first): never overwritten, never trusted
                LOG.warn("{} has no index beside it: left alone", p.key().tarKey());
            }
        }
        List<ListedFrame> toDelete = new ArrayList<>();
        List<ListedFrame> toArchive = new ArrayList<>();
        int already = 0;
        for (ListedFrame f : listed) {
            IndexEntry e = archived.get(f.s3Key());
            if (e != null && sameEtag(e.etag(), f.etag())) {
                toDelete.add(f);
                already++;
            } else {
                if (e != null) {
                    LOG.warn("{} changed since it was archived (ETag {} then, {} now): archived again", f.s3Key(),
                            e.etag(), f.etag());
                }
                toArchive.add(f);
            }
        }
        int part = -1;
        int archivedNow = 0;
        long bytes = 0;
        if (!toArchive.isEmpty()) {
            part = 0;
            while (taken.contains(part)) {
                part++;
            }
            BundleKey key = hour.withPart(part);
            Written w = write(key, toArchive);
            if (w == null) {
                part = -1; // every frame vanished before it was read
            } else {
                BundleIndex idx = verify(key, w.indexJson());
                Map<String, String> etags = new HashMap<>();
                idx.frames().forEach(e -> etags.put(e.key(), e.etag()));
                for (ListedFrame f : toArchive) {
                    if (etags.containsKey(f.s3Key()) && sameEtag(etags.get(f.s3Key()), f.etag())) {
                        toDelete.add(f);
                    }
                }
                archivedNow = idx.frameCount();
                bytes = w.tarLength();
                LOG.info("{}: {} frames, {} bytes, {}", key.tarKey(), archivedNow, bytes, storageClass);
            }
        }
        int deleted = delete(toDelete);
        return new HourResult(hour, part, archivedNow, bytes, already, deleted);
    }

    private record Written(BundleIndex index, byte[] indexJson, long tarLength) {
    }

    private Written write(BundleKey part, List<ListedFrame> frames) throws IOException {
        BundleUpload upload = new BundleUpload(s3, bucket, part.tarKey(), storageClass, partSize, uploader);
        try (FramePrefetcher reads = new FramePrefetcher(s3, bucket, frames, readers, parallelism, readBuffer)) {
            TarBundleWriter tar = new TarBundleWriter(upload);
            while (reads.hasNext()) {
                FramePrefetcher.Fetched f = reads.next();
                ListedFrame lf = f.frame();
                if (f.missing()) {
                    continue;
                }
                if (f.streamed()) {
                    try (ResponseInputStream<GetObjectResponse> in = s3.getObject(b -> b.bucket(bucket).key(lf.s3Key()))) {
                        tar.add(lf.s3Key(), lf.name(), lf.key().captureTime(), in.response().eTag(),
                                in.response().contentLength(), in);
                    } catch (NoSuchKeyException e) {
                        continue;
                    }
                } else {
                    tar.add(lf.s3Key(), lf.name(), lf.key().captureTime(), f.etag(), f.bytes(), f.sha256());
                }
            }
            if (tar.entries().isEmpty()) {
                upload.abort();
                return null;
            }
            BundleIndex index = BundleIndex.of(part, tar.entries());
            byte[] json = index.toJson();
            long length = tar.finish(part.indexMemberName(), json, clock.instant());
            upload.seal();
            // the index goes first: a tar is never visible without it
            s3.putObject(b -> b.bucket(bucket).key(part.indexKey()).contentType("application/json"),
                    RequestBody.fromBytes(json));
            upload.commit();
            return new Written(index, json, length);
        } catch (IOException | RuntimeException e) {
            upload.abort();
            throw e;
        }
    }

    /**
     * Reads a part's index back and checks it against its tar: the index parses and lists its
     * members where the writer puts them (count, names, SHA-256 present, offsets); the tar's length
     * is exactly what those members make; and where the storage class allows a GET, the index
     * member inside the tar is the same bytes. {@code written} (when the part was just written)
     * must equal what was read back.
     */
    BundleIndex verify(BundleKey part, byte[] written) throws IOException, BundleIndex.InvalidIndexException {
        byte[] json = store.indexBytes(part);
        if (written != null && !Arrays.equals(json, written)) {
            throw new IOException(part.indexKey() + " read back is not what was written");
        }
        BundleIndex idx = BundleIndex.parse(json, part);
        BundleState tar = store.state(part);
        long expected = idx.tarLength(json.length);
        if (tar.length() != expected) {
            throw new IOException(part.tarKey() + " is " + tar.length() + " bytes, its index describes " + expected);
        }
        if (tar.readable() && !Arrays.equals(store.read(part, idx.indexOffset(), json.length), json)) {
            throw new IOException(part.tarKey() + " does not hold its index where the index says");
        }
        return idx;
    }

    private int delete(List<ListedFrame> frames) throws IOException {
        int deleted = 0;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < frames.size(); i += DELETE_BATCH) {
            List<ObjectIdentifier> batch = frames.subList(i, Math.min(frames.size(), i + DELETE_BATCH)).stream()
                    .map(f -> ObjectIdentifier.builder().key(f.s3Key()).build()).toList();
            DeleteObjectsResponse r = s3.deleteObjects(b -> b.bucket(bucket)
                    .delete(Delete.builder().objects(batch).quiet(true).build()));
            deleted += batch.size() - r.errors().size();
            r.errors().forEach(e -> failures.add(e.key() + ": " + e.code()));
        }
        if (!failures.isEmpty()) {
            throw new IOException(failures.size() + " archived frames could not be deleted (the next run retries), "
                    + "first: " + failures.getFirst());
        }
        return deleted;
    }

    static boolean sameEtag(String a, String b) {
        return Objects.equals(strip(a), strip(b));
    }

    private static String strip(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }
}
