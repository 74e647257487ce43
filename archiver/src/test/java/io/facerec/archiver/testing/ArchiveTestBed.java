package io.facerec.archiver.testing;

import io.facerec.archiver.archive.Archiver;
import io.facerec.archiver.config.ArchiverConfig;
import io.facerec.loopback.S3Server;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.frame.FrameMetadata;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/** An S3Proxy bucket with frames in it, a recording client, and archivers at a chosen time. */
public final class ArchiveTestBed implements AutoCloseable {
    public static final String BUCKET = "facerec-archive-test";
    public final S3Server server;
    public final SdkCalls calls = new SdkCalls();
    /** The product's client, through {@link #calls}: the code under test uses it. */
    public final S3Client s3;
    /** Plain, for setting up and checking. */
    public final S3Client plain;

    /** The client of {@code bin/archive} and the page: not the archiver's, so not recorded for its IAM contract. */
    public ArchiveTestBed() throws Exception {
        this(null);
    }

    /** The archiver's client, its calls recorded for the IAM contract (cdk tests) under {@code test}'s name. */
    public ArchiveTestBed(Class<?> test) throws Exception {
        server = new S3Server(null, 0);
        plain = client();
        s3 = test == null ? client(calls)
                : client(SdkCallRecorder.forTest(ProductRole.ARCHIVER, test, Map.of("FRAMES_BUCKET", BUCKET)), calls);
        plain.createBucket(b -> b.bucket(BUCKET));
    }

    /**
     * S3Server's client with more attempts: about 1% of PUTs to S3Proxy here fail with "Error writing
     * request body to server" (sequential or parallel, keep-alive on or off), sometimes several in a
     * row, which the SDK's four attempts do not always outlast. Real S3 does not do that.
     */
    private S3Client client(ExecutionInterceptor... interceptors) {
        return S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors))
                        .retryStrategy(r -> r.maxAttempts(12))).build();
    }

    /** Empties the bucket and forgets the calls: the next test starts from nothing, on the same server. */
    public void clear() {
        calls.reset();
        List<ObjectIdentifier> all = plain.listObjectsV2Paginator(b -> b.bucket(BUCKET)).contents().stream()
                .map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
        for (int i = 0; i < all.size(); i += 1000) {
            List<ObjectIdentifier> batch = all.subList(i, Math.min(all.size(), i + 1000));
            plain.deleteObjects(b -> b.bucket(BUCKET).delete(d -> d.objects(batch).quiet(true)));
        }
    }

    public static ArchiverConfig config(Duration hot, String storageClass) {
        return new ArchiverConfig(BUCKET, hot, storageClass, 8, ArchiverConfig.MIN_PART_MB * 1024 * 1024,
                4L * 1024 * 1024, Duration.ZERO, Optional.empty());
    }

    public Archiver archiver(Instant now, ArchiverConfig config) {
        return new Archiver(s3, config, Clock.fixed(now, ZoneOffset.UTC));
    }

    /** Puts a frame as the forwarder does: its key, metadata and content type. */
    public String putFrame(String camera, Instant capture, long seq, byte[] jpeg) {
        FrameKey k = new FrameKey(camera, capture.toEpochMilli(), seq);
        plain.putObject(b -> b.bucket(BUCKET).key(k.toKey()).contentType(FrameMetadata.CONTENT_TYPE)
                .metadata(new FrameMetadata(camera, capture, seq, "test").toMap()), RequestBody.fromBytes(jpeg));
        return k.toKey();
    }

    /** Every object under {@code prefix}: key to bytes. */
    public TreeMap<String, byte[]> objects(String prefix) {
        TreeMap<String, byte[]> out = new TreeMap<>();
        for (S3Object o : plain.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents()) {
            out.put(o.key(), plain.getObjectAsBytes(b -> b.bucket(BUCKET).key(o.key())).asByteArray());
        }
        return out;
    }

    public List<String> keys(String prefix) {
        return plain.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream()
                .map(S3Object::key).toList();
    }

    /** A small real JPEG of noise: every frame differs. */
    public static byte[] jpeg(Random random, int width, int height) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() throws Exception {
        s3.close();
        plain.close();
        server.close();
    }
}
