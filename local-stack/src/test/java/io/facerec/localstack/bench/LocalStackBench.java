package io.facerec.localstack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.localstack.LocalStack;
import io.facerec.loopback.NodeProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * From the camera emitting a frame to the webhook receiving it, through the whole local stack
 * (forwarder, S3 event, runtime API, recognizer, DynamoDB, signed POST): p50 and p95 over every
 * delivery (cooldown off), and the stack's start-up time. Run: bin/bench-local-stack [seconds]
 */
public final class LocalStackBench {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        Path root = Path.of(System.getProperty("facerec.root", "..")).toAbsolutePath().normalize();
        Path td = Path.of(System.getenv().getOrDefault("FACE_TESTDATA", root.resolve("../shared/testdata").toString()));
        Path tmp = Files.createTempDirectory("bench-local-stack");
        Path frames = Files.createDirectories(tmp.resolve("camera"));
        Files.copy(td.resolve("face_recognition/images/barack_obama/obama2.jpg"), frames.resolve("1.jpg"));
        Files.copy(td.resolve("face_recognition/images/rose_leslie/img1.jpg"), frames.resolve("2.jpg"));
        Files.copy(td.resolve("face_recognition/images/joe_biden/biden2.jpg"), frames.resolve("3.jpg"));
        LocalStack.Settings s = new LocalStack.Settings(root, tmp.resolve("data"), 0, 0, NodeProcess.freePort(), 0, 0, 0, 0,
                null, frames, 2, 2, false, "0");
        long t0 = System.nanoTime();
        try (LocalStack stack = new LocalStack(s)) {
            double startSeconds = (System.nanoTime() - t0) / 1e9;
            stack.s3().putObject(b -> b.bucket(LocalStack.BUCKET).key("enroll/barack_obama/obama.jpg"),
                    RequestBody.fromFile(td.resolve("face_recognition/images/barack_obama/obama.jpg")));
            long t1 = System.nanoTime();
            while (stack.runtime().stats().succeeded() < 1 && System.nanoTime() - t1 < 120e9) {
                Thread.sleep(50);
            }
            double firstInvocation = (System.nanoTime() - t0) / 1e9;
            stack.startCamera();
            Thread.sleep(seconds * 1000L);
            List<Long> latencies = new ArrayList<>();
            for (JsonNode d : new ObjectMapper().readTree(stack.receiver().deliveriesJson())) {
                if (d.get("status").asInt() == 201) {
                    Instant captured = Instant.parse(d.at("/body/timestamp").asText());
                    latencies.add(Instant.parse(d.get("receivedAt").asText()).toEpochMilli() - captured.toEpochMilli());
                }
            }
            latencies.sort(null);
            System.out.printf(Locale.ROOT, "start-up: stack ready in %.1f s; first invocation (enrolment, the recognizer's"
                    + " cold start) done %.1f s after launch%n", startSeconds, firstInvocation);
            System.out.printf(Locale.ROOT, "camera frame to webhook received, over %d deliveries in %d s: p50 %d ms, p95 %d ms%n",
                    latencies.size(), seconds, latencies.get(latencies.size() / 2),
                    latencies.get((int) Math.min(latencies.size() - 1, Math.floor(latencies.size() * 0.95))));
        }
    }
}
