package io.facerec.archiver.bench;

import io.facerec.archiver.archive.Archiver;
import io.facerec.archiver.archive.RunSummary;
import io.facerec.archiver.config.ArchiverConfig;
import io.facerec.archiver.testing.SdkCalls;
import io.facerec.loopback.S3Server;
import io.facerec.model.frame.FrameKey;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Archives one camera-hour against S3Proxy and prints the time, the peak heap and the requests
 * made, then the same per camera-month. S3Proxy runs in its own JVM (on disk), so this JVM's heap is
 * the archiver's alone.
 * <p>
 * Usage: {@code bin/bench-archiver [frames-per-hour ...]} (default 3600 360: one frame a second, and
 * motion gating keeping about a tenth).
 */
public final class ArchiverBench {
    static final String BUCKET = "bench-frames";
    static final int FRAME_BYTES = 30_000;
    static final Instant HOUR = Instant.parse("2026-03-04T13:00:00Z");

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("server")) {
            serve(Path.of(args[1]));
            return;
        }
        List<Integer> counts = new ArrayList<>();
        for (String a : args) {
            counts.add(Integer.parseInt(a));
        }
        if (counts.isEmpty()) {
            counts = List.of(3600, 360);
        }
        Path dir = Files.createTempDirectory("bench-s3");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), ArchiverBench.class.getName(), "server", dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            URI endpoint = URI.create(new BufferedReader(new InputStreamReader(server.getInputStream())).readLine());
            System.out.printf("machine: %d CPUs (%s), %s, JDK %s, archiver heap max %d MB; S3Proxy 4.1.0 on disk, own JVM, %s%n",
                    Runtime.getRuntime().availableProcessors(), cpu(), System.getProperty("os.arch"),
                    System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20, endpoint);
            for (int i = 0; i < counts.size(); i++) {
                bench(endpoint, counts.get(i), "cam" + i + "-" + counts.get(i));
            }
        } finally {
            server.destroy();
        }
    }

    static void bench(URI endpoint, int frames, String camera) throws Exception {
        SdkCalls calls = new SdkCalls();
        try (S3Client seed = client(endpoint, null); S3Client s3 = client(endpoint, calls)) {
            if (seed.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(BUCKET))) {
                seed.createBucket(b -> b.bucket(BUCKET));
            }
            long bytes = seedHour(seed, camera, frames);
            ArchiverConfig config = ArchiverConfig.from(Map.of("FRAMES_BUCKET", BUCKET, "HOT_MINUTES", "0"));
            System.gc();
            HeapSampler heap = new HeapSampler();
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            RunSummary s;
            try (Archiver a = new Archiver(s3, config, Clock.fixed(HOUR.plus(Duration.ofHours(2)), ZoneOffset.UTC))) {
                s = a.run(HOUR.plus(Duration.ofDays(1)));
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
            long peak = heap.stop();
            if (s.hoursFailed() > 0 || s.framesArchived() != frames) {
                throw new IllegalStateException("bench run did not archive everything: " + s);
            }
            Map<String, Integer> ops = new TreeMap<>();
            calls.calls().forEach(c -> ops.merge(c.operation(), 1, Integer::sum));
            int total = ops.values().stream().mapToInt(Integer::intValue).sum();
            System.out.printf("%n%d frames of ~%d KB (%.1f MB) -> %d bundle of %.1f MB (%s, %d MiB parts, %d parallel reads)%n",
                    frames, FRAME_BYTES / 1000, bytes / 1e6, s.bundlesWritten(), s.bytesArchived() / 1e6,
                    config.storageClass(), config.partSizeBytes() >> 20, config.readParallelism());
            System.out.printf("  time %.1f s (%.1f MB/s), archiver CPU %.1f s, peak heap used %d MB, %d requests: %s%n", secs,
                    bytes / 1e6 / secs, cpu, peak >> 20, total, ops);
            System.out.printf("  per camera-month (720 such hours): %.0f s of run time, %.0f CPU s, %,d requests (%s), "
                    + "%.1f GB written%n", secs * 720, cpu * 720, total * 720L, perMonth(ops), s.bytesArchived() * 720 / 1e9);
        }
    }

    static String perMonth(Map<String, Integer> ops) {
        StringBuilder b = new StringBuilder();
        ops.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(String.format("%,d", v * 720L)));
        return b.toString();
    }

    /** An hour of frames, one every 3600/n seconds, JPEG-framed random bytes of about 30 KB. */
    static long seedHour(S3Client s3, String camera, int n) throws Exception {
        Random r = new Random(n);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> puts = new ArrayList<>();
        AtomicLong total = new AtomicLong();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[FRAME_BYTES - 3000 + r.nextInt(6000)];
            r.nextBytes(b);
            b[0] = (byte) 0xFF;
            b[1] = (byte) 0xD8;
            b[b.length - 2] = (byte) 0xFF;
            b[b.length - 1] = (byte) 0xD9;
            total.addAndGet(b.length);
            FrameKey k = new FrameKey(camera, HOUR.toEpochMilli() + i * (3_600_000L / n), i);
            puts.add(pool.submit(() -> s3.putObject(p -> p.bucket(BUCKET).key(k.toKey()).contentType("image/jpeg"),
                    RequestBody.fromBytes(b))));
        }
        for (Future<?> f : puts) {
            f.get();
        }
        pool.shutdown();
        return total.get();
    }

    static S3Client client(URI endpoint, SdkCalls calls) {
        var b = S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(S3Server.ACCESS_KEY,
                        S3Server.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create());
        if (calls != null) {
            b.overrideConfiguration(c -> c.addExecutionInterceptor(calls));
        }
        return b.build();
    }

    static void serve(Path dir) throws Exception {
        S3Server s = new S3Server(dir, 0);
        System.out.println(s.endpoint());
        System.out.flush();
        Thread.currentThread().join();
    }

    static String cpu() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst().map(l -> l.substring(l.indexOf(':') + 2))
                    .orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }

    /** Heap in use, sampled every 5 ms: what the run needed at its worst, garbage not yet collected included. */
    static final class HeapSampler {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong peak = new AtomicLong();
        private final Thread thread;

        HeapSampler() {
            var mem = ManagementFactory.getMemoryMXBean();
            thread = new Thread(() -> {
                while (running.get()) {
                    peak.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "heap-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            running.set(false);
            thread.join();
            return peak.get();
        }
    }
}
