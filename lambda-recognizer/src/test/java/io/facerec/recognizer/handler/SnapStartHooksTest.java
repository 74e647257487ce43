package io.facerec.recognizer.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.facerec.loopback.S3Server;
import io.facerec.model.webhook.WebhookSigner;
import io.facerec.recognizer.aws.RenewableHttpClient;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.gallery.GalleryCache;
import io.facerec.recognizer.gallery.S3GallerySource;
import io.facerec.recognizer.webhook.CachedSecret;
import io.facerec.recognizer.webhook.Jitter;
import io.facerec.recognizer.webhook.WebhookCredentials;
import io.facerec.recognizer.webhook.WebhookSender;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The SnapStart hooks, called as the runtime calls them: beforeCheckpoint once at the snapshot, then
 * afterRestore in each container restored from it.
 */
class SnapStartHooksTest {
    static final String KEY = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String ROTATED_KEY = "whsec_" + "B".repeat(32);
    static S3Server s3Server;
    static final List<String> s3Calls = new CopyOnWriteArrayList<>();
    static S3Client s3;

    @BeforeAll
    static void start() throws Exception {
        s3Server = new S3Server(null);
        s3 = S3Client.builder().endpointOverride(s3Server.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY,
                        S3Server.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution c, ExecutionAttributes a) {
                        s3Calls.add(c.request().getClass().getSimpleName());
                    }
                })).build();
        s3.createBucket(b -> b.bucket("hooks-test"));
    }

    @AfterAll
    static void stop() throws Exception {
        s3Server.close();
    }

    /** A gallery that would not look at S3 again for a day on its own. */
    static GalleryCache gallery() {
        RecognizerConfig config = RecognizerConfig.from(Map.of("RESULTS_TABLE", "t", "GALLERY_BUCKET", "hooks-test",
                "GALLERY_REFRESH_S", "86400"));
        return new GalleryCache(new S3GallerySource(s3, "hooks-test", "gallery/", 1 << 28), config, Clock.systemUTC());
    }

    /** Secrets Manager as a seam: counts reads, and can rotate or fail. */
    static final class Source {
        final AtomicInteger reads = new AtomicInteger();
        final AtomicReference<String> value;
        volatile boolean down;

        Source(String value) {
            this.value = new AtomicReference<>(value);
        }

        String read() {
            reads.incrementAndGet();
            if (down) {
                throw new IllegalStateException("Secrets Manager unreachable");
            }
            return value.get();
        }
    }

    static SnapStartHooks hooks(Jitter jitter, Optional<WebhookCredentials> credentials, Optional<WebhookSender> webhook,
                                GalleryCache gallery, Optional<RenewableHttpClient> awsHttp) {
        return new SnapStartHooks(jitter, credentials, webhook, gallery, awsHttp);
    }

    @Test
    void afterRestoreEachContainerDrawsItsOwnBackoffJitter() {
        // two containers restored from one snapshot start with the same random state
        Jitter a = new Jitter(42);
        Jitter b = new Jitter(42);
        List<Long> beforeA = new ArrayList<>();
        List<Long> beforeB = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            beforeA.add(a.upTo(1_000_000_000));
            beforeB.add(b.upTo(1_000_000_000));
        }
        assertEquals(beforeA, beforeB, "the snapshot's state: every container would retry in step");
        GalleryCache g = gallery();
        hooks(a, Optional.empty(), Optional.empty(), g, Optional.empty()).afterRestore(null);
        hooks(b, Optional.empty(), Optional.empty(), g, Optional.empty()).afterRestore(null);
        List<Long> afterA = new ArrayList<>();
        List<Long> afterB = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            afterA.add(a.upTo(1_000_000_000));
            afterB.add(b.upTo(1_000_000_000));
        }
        assertNotEquals(afterA, afterB, "each restored container has a seed of its own");
    }

    @Test
    void secretsAreNotKeptInTheSnapshotAndAreReadAgainAfterRestore() {
        Source token = new Source("token-1");
        Source key = new Source(KEY);
        WebhookCredentials credentials = new WebhookCredentials(
                new CachedSecret<>("token", token::read, t -> t, Duration.ofHours(1), System::nanoTime),
                new CachedSecret<>("key", key::read, WebhookSigner::new, Duration.ofHours(1), System::nanoTime));
        assertEquals("token-1", credentials.bearer());
        credentials.signer();
        assertEquals(1, token.reads.get());
        SnapStartHooks hooks = hooks(new Jitter(), Optional.of(credentials), Optional.empty(), gallery(), Optional.empty())
                .register(); // as Recognizer.fromEnvironment does: a plain JVM accepts it and never calls back

        hooks.beforeCheckpoint(null);
        // nothing held: with the source down, there is no value to fall back on
        token.down = true;
        assertThrows(IllegalStateException.class, credentials::bearer, "the token was dropped before the snapshot");
        token.down = false;

        // rotated while the snapshot sat
        token.value.set("token-2");
        key.value.set(ROTATED_KEY);
        int readsBefore = token.reads.get();
        hooks.afterRestore(null);
        assertEquals(readsBefore + 1, token.reads.get(), "read again by the restore hook");
        assertEquals("token-2", credentials.bearer());
        assertEquals(new WebhookSigner(ROTATED_KEY).sign("i", 1, new byte[0]), credentials.signer().sign("i", 1, new byte[0]));
        assertEquals(readsBefore + 1, token.reads.get(), "and then served from the cache");
    }

    @Test
    void theGalleryIsCheckedAgainOnTheFirstFrameAfterRestore() {
        GalleryCache g = gallery();
        g.current();
        s3Calls.clear();
        g.current();
        assertEquals(List.of(), s3Calls, "within GALLERY_REFRESH_S the gallery is not checked");
        hooks(new Jitter(), Optional.empty(), Optional.empty(), g, Optional.empty()).afterRestore(null);
        g.current();
        assertTrue(!s3Calls.isEmpty(), "checked after the restore: " + s3Calls);
    }

    @Test
    void pooledConnectionsAreClosedBeforeTheSnapshotAndRenewedAfterRestore() throws Exception {
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        List<HttpClient> built = new CopyOnWriteArrayList<>();
        AtomicInteger awsClients = new AtomicInteger();
        try {
            WebhookCredentials credentials = new WebhookCredentials(
                    new CachedSecret<>("token", () -> "t", t -> t, Duration.ofHours(1), System::nanoTime),
                    new CachedSecret<>("key", () -> KEY, WebhookSigner::new, Duration.ofHours(1), System::nanoTime));
            WebhookSender sender = new WebhookSender(() -> {
                HttpClient c = HttpClient.newHttpClient();
                built.add(c);
                return c;
            }, URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/"), credentials, Duration.ofSeconds(5),
                    1, new Jitter());
            RenewableHttpClient awsHttp = new RenewableHttpClient(() -> {
                awsClients.incrementAndGet();
                return UrlConnectionHttpClient.create();
            });
            SnapStartHooks hooks = hooks(new Jitter(), Optional.of(credentials), Optional.of(sender), gallery(),
                    Optional.of(awsHttp));
            assertEquals(WebhookSender.Status.DELIVERED, sender.deliver("a", new byte[0], System.currentTimeMillis() + 10_000).status());
            assertEquals(1, built.size());

            hooks.beforeCheckpoint(null);
            HttpClient old = built.get(0);
            for (int i = 0; i < 100 && !old.isTerminated(); i++) {
                Thread.sleep(50);
            }
            assertTrue(old.isTerminated(), "the webhook client and its connections are closed before the snapshot");

            hooks.afterRestore(null);
            assertEquals(2, awsClients.get(), "the AWS clients' HTTP client was replaced: no pooled socket is reused");
            assertEquals(WebhookSender.Status.DELIVERED, sender.deliver("b", new byte[0], System.currentTimeMillis() + 10_000).status());
            assertEquals(2, built.size(), "a new webhook client after the restore");
        } finally {
            receiver.stop(0);
        }
    }
}
