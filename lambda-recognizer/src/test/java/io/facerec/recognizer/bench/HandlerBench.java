package io.facerec.recognizer.bench;

import io.facerec.model.frame.FrameKey;
import io.facerec.recognizer.config.RecognizerConfig;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.handler.Recognizer;
import io.facerec.recognizer.handler.RecognizerHandler;
import io.facerec.loopback.ResultTableSchema;
import io.facerec.loopback.Dynalite;
import io.facerec.loopback.S3Server;
import io.facerec.recognizer.testing.TestData;
import io.facerec.loopback.WebhookReceiver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Warm handler time per frame on loopback (S3 get + engine + DynamoDB put + webhook), the engine's
 * share of it, and init time to the first frame. Prints figures; asserts nothing.
 * Run: bin/bench-handler [frames]
 */
public final class HandlerBench {
    static final String BENCH_SIGNING_KEY = "whsec_YmVuY2gtc2lnbmluZy1rZXktb2YtMzItYnl0ZXMhIQ==";

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        String bucket = "bench-frames";
        try (S3Server s3s = new S3Server(null); Dynalite dyn = Dynalite.start();
             WebhookReceiver hook = WebhookReceiver.start("bench-secret", BENCH_SIGNING_KEY)) {
            var s3 = s3s.client();
            var ddb = dyn.client();
            s3.createBucket(b -> b.bucket(bucket));
            ResultTableSchema.ensure(ddb, "bench");
            byte[] enrolPhoto = Files.readAllBytes(TestData.path("face_recognition/images/joe_biden/biden.jpg"));
            s3.putObject(b -> b.bucket(bucket).key("enroll/joe_biden/a.jpg"), RequestBody.fromBytes(enrolPhoto));
            Map<String, String> env = Map.of("RESULTS_TABLE", "bench", "GALLERY_BUCKET", bucket,
                    "NEXTJS_WEBHOOK_URL", hook.url().toString(), "FACIAL_RECOGNITION_WEBHOOK_SECRET", "bench-secret",
                    "WEBHOOK_SIGNING_KEY", BENCH_SIGNING_KEY, "WEBHOOK_ALLOW_HTTP", "true",
                    "AWS_ENDPOINT_URL_S3", s3s.endpoint().toString(), "AWS_ENDPOINT_URL_DYNAMODB", dyn.endpoint().toString(),
                    "WEBHOOK_COOLDOWN_S", "0");

            long t0 = System.nanoTime();
            RecognizerHandler handler = new RecognizerHandler(Recognizer.create(RecognizerConfig.from(env), s3, ddb,
                    arn -> null, Clock.systemUTC()));
            long initMs = (System.nanoTime() - t0) / 1_000_000;
            handler.handleRequest(io.facerec.recognizer.handler.BenchEvents.created(s3, bucket, "enroll/joe_biden/a.jpg"), null);

            byte[] frame = vgaFrame();
            long[] times = new long[n];
            long firstMs = 0;
            for (int i = 0; i < n; i++) {
                String key = new FrameKey("bench", 1_795_000_000_000L + i * 1000L, i).toKey();
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(frame));
                var event = io.facerec.recognizer.handler.BenchEvents.created(s3, bucket, key);
                long s = System.nanoTime();
                handler.handleRequest(event, null);
                times[i] = System.nanoTime() - s;
                if (i == 0) {
                    firstMs = (System.nanoTime() - t0) / 1_000_000;
                }
            }
            long[] engine = new long[n];
            float[] embedding;
            io.facerec.model.result.FaceResult.FaceBox box;
            try (FaceEngine e = FaceEngine.load(EngineConfig.defaults(), null)) {
                for (int i = 0; i < n; i++) {
                    long s = System.nanoTime();
                    e.analyze(frame, "f");
                    engine[i] = System.nanoTime() - s;
                }
                var face = e.analyze(frame, "f").faces().get(0);
                embedding = face.embedding();
                box = new io.facerec.model.result.FaceResult.FaceBox(Math.round(face.box().left()), Math.round(face.box().top()),
                        Math.round(face.box().right()), Math.round(face.box().bottom()));
            }
            // the tracking step alone, as a frame takes it: a consistent read and a conditional write of
            // its camera's track state (the face on one track, one frame a second)
            var tracker = new io.facerec.recognizer.track.Tracker(new io.facerec.recognizer.track.TrackStore(ddb, "bench",
                    Clock.systemUTC()), io.facerec.recognizer.track.TrackSettings.DEFAULT, new io.facerec.recognizer.webhook.Jitter(1));
            var observed = List.of(new io.facerec.recognizer.track.CameraTracks.Observed(box, embedding, null));
            var metrics = new io.facerec.recognizer.metrics.RecognizerMetrics();
            long[] tracking = new long[n];
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                tracker.track("bench-tracking", new io.facerec.recognizer.track.CameraTracks.Frame("t" + i,
                        1_795_000_000_000L + i * 1000L, i, observed), 0.5, metrics);
                tracking[i] = System.nanoTime() - s;
            }
            long[] warmTracking = Arrays.copyOfRange(tracking, Math.min(10, n / 2), n);
            Arrays.sort(warmTracking);
            // what the loopback servers themselves cost per call
            long[] get = new long[n];
            long[] put = new long[n];
            long[] post = new long[n];
            var http = java.net.http.HttpClient.newHttpClient();
            String lastKey = new FrameKey("bench", 1_795_000_000_000L, 0).toKey();
            for (int i = 0; i < n; i++) {
                long s = System.nanoTime();
                s3.getObjectAsBytes(b -> b.bucket(bucket).key(lastKey));
                get[i] = System.nanoTime() - s;
                final int k = i;
                s = System.nanoTime();
                ddb.putItem(b -> b.tableName("bench").item(Map.of("pk",
                        software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("X#" + k),
                        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("-"))));
                put[i] = System.nanoTime() - s;
                s = System.nanoTime();
                http.send(java.net.http.HttpRequest.newBuilder(hook.url()).POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding());
                post[i] = System.nanoTime() - s;
            }
            Arrays.sort(get);
            Arrays.sort(put);
            Arrays.sort(post);
            int delivered = hook.deliveries().size() - n;
            long[] warm = Arrays.copyOfRange(times, Math.min(10, n / 2), n);
            long[] warmEngine = Arrays.copyOfRange(engine, Math.min(10, n / 2), n);
            Arrays.sort(warm);
            Arrays.sort(warmEngine);
            System.out.printf(Locale.ROOT, "init (models loaded and primed, gallery read): %d ms%n", initMs);
            System.out.printf(Locale.ROOT, "init to first frame recorded and announced (enrolment included): %d ms%n", firstMs);
            System.out.printf(Locale.ROOT, "warm handler per frame over %d frames: p50 %.1f ms, p95 %.1f ms%n",
                    warm.length, pct(warm, 0.5), pct(warm, 0.95));
            System.out.printf(Locale.ROOT, "engine alone (decode + detect + align + embed): p50 %.1f ms (%.0f%% of the handler)%n",
                    pct(warmEngine, 0.5), 100 * pct(warmEngine, 0.5) / pct(warm, 0.5));
            System.out.printf(Locale.ROOT, "tracking step alone (read, apply, conditional write of the camera's track state):"
                    + " p50 %.1f ms%n", pct(warmTracking, 0.5));
            System.out.printf(Locale.ROOT, "loopback servers per call, p50: S3Proxy GET %.1f ms, dynalite PutItem %.1f ms,"
                    + " webhook POST %.1f ms (a frame makes 1 GET, 3-4 DynamoDB writes, a read and"
                    + " at most one write of its camera's track state, and 1 POST per announced track)%n",
                    pct(get, 0.5), pct(put, 0.5), pct(post, 0.5));
            System.out.printf(Locale.ROOT, "webhook deliveries: %d of %d frames%n", delivered, n);
            for (String arch : List.of("arm64", "x86_64")) {
                Path jar = Path.of("target/recognizer-" + arch + ".jar");
                if (Files.exists(jar)) {
                    System.out.printf(Locale.ROOT, "jar %s: %.1f MB%n", jar, Files.size(jar) / 1e6);
                }
            }
        }
    }

    static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))] / 1e6;
    }

    /** A 640x480 frame with one face, as a camera would send. */
    static byte[] vgaFrame() throws Exception {
        var img = new io.facerec.recognizer.image.ImageDecoder()
                .decode(Files.readAllBytes(TestData.path("face_recognition/images/joe_biden/biden2.jpg")), "b");
        var small = img.resize(640, 480);
        return io.facerec.recognizer.testing.Jpegs.encode(small);
    }
}
