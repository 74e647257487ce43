package io.facerec.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The Lambda Runtime API (2018-06-01) as the runtime interface client speaks it: {@code next} hands
 * out queued S3 events, {@code response} and {@code error} report back. Like an asynchronous Lambda
 * invocation, an event whose invocation errors is retried twice (after 1 s, then 2 s here instead of
 * AWS's minutes) and then kept as failed, the on-failure destination of the local stack. An
 * invocation that passes its deadline without answering is given up as Lambda gives up a timed-out
 * one: counted as an error, retried, its late answer ignored, and {@code onTimeout} told (the local
 * stack restarts the function's process, as Lambda replaces a timed-out execution environment).
 */
public final class LambdaRuntimeApi implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(LambdaRuntimeApi.class);
    static final String BASE = "/2018-06-01/runtime";
    static final int RETRIES = 2;

    record Invocation(String id, String event, int attempt, long enqueuedNanos) {
    }

    /** An invocation handed to the function, and when it must have answered. */
    record InFlight(Invocation invocation, long deadlineMillis) {
    }

    /** What happened to the events so far. */
    public record Stats(int succeeded, int errors, int retries, List<String> failed, List<Long> latenciesMillis) {
    }

    private final HttpServer server;
    private final long timeoutMillis;
    private final LinkedBlockingQueue<Invocation> queue = new LinkedBlockingQueue<>();
    private final Map<String, InFlight> inFlight = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lambda-retries"));
    private final Runnable onTimeout;
    private final AtomicInteger succeeded = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();
    private final AtomicInteger retried = new AtomicInteger();
    private final List<String> failed = Collections.synchronizedList(new ArrayList<>());
    private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    private volatile String initError;

    public LambdaRuntimeApi(int port, long timeoutMillis) throws IOException {
        this(port, timeoutMillis, () -> { });
    }

    public LambdaRuntimeApi(int port, long timeoutMillis, Runnable onTimeout) throws IOException {
        this.timeoutMillis = timeoutMillis;
        this.onTimeout = onTimeout;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> daemon(r, "runtime-api")));
        server.createContext(BASE, this::handle);
        server.start();
        retries.scheduleWithFixedDelay(this::giveUpOverdue, 100, 100, TimeUnit.MILLISECONDS);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Queues one event, as S3 would invoke the function asynchronously. */
    public void invoke(String eventJson) {
        queue.add(new Invocation(UUID.randomUUID().toString(), eventJson, 1, System.nanoTime()));
    }

    public Stats stats() {
        synchronized (latencies) {
            return new Stats(succeeded.get(), errors.get(), retried.get(), List.copyOf(failed), List.copyOf(latencies));
        }
    }

    public int pending() {
        return queue.size() + inFlight.size();
    }

    public String initError() {
        return initError;
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath().substring(BASE.length());
        byte[] body = ex.getRequestBody().readAllBytes();
        try {
            if (path.equals("/invocation/next") && ex.getRequestMethod().equals("GET")) {
                Invocation inv = queue.take();
                long deadline = System.currentTimeMillis() + timeoutMillis;
                inFlight.put(inv.id(), new InFlight(inv, deadline));
                ex.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", inv.id());
                ex.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
                ex.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn",
                        "arn:aws:lambda:us-east-1:000000000000:function:facerec-recognizer:live");
                ex.getResponseHeaders().add("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
                reply(ex, 200, inv.event());
            } else if (path.startsWith("/invocation/") && path.endsWith("/response")) {
                InFlight f = inFlight.remove(idOf(path));
                if (f != null) {
                    succeeded.incrementAndGet();
                    latencies.add((System.nanoTime() - f.invocation().enqueuedNanos()) / 1_000_000);
                }
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else if (path.startsWith("/invocation/") && path.endsWith("/error")) {
                InFlight f = inFlight.remove(idOf(path));
                if (f != null) {
                    failed(f.invocation(), new String(body, StandardCharsets.UTF_8));
                }
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else if (path.equals("/init/error")) {
                initError = new String(body, StandardCharsets.UTF_8);
                LOG.error("recognizer init failed: {}", abbreviate(initError));
                reply(ex, 202, "{\"status\":\"OK\"}");
            } else {
                reply(ex, 404, "{\"errorMessage\":\"unknown path\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(ex, 500, "{}");
        }
    }

    /** An errored or timed-out invocation: retried, or kept as failed after the last retry. */
    private void failed(Invocation inv, String why) {
        errors.incrementAndGet();
        if (inv.attempt() <= RETRIES) {
            retried.incrementAndGet();
            LOG.warn("invocation {} failed (attempt {}), retrying: {}", inv.id(), inv.attempt(), abbreviate(why));
            retries.schedule(() -> queue.add(new Invocation(inv.id() + "-r", inv.event(), inv.attempt() + 1,
                    inv.enqueuedNanos())), inv.attempt(), TimeUnit.SECONDS);
        } else {
            LOG.error("invocation {} failed {} times: sent to the failure list: {}", inv.id(), inv.attempt(), abbreviate(why));
            failed.add(inv.event());
        }
    }

    private void giveUpOverdue() {
        long now = System.currentTimeMillis();
        for (InFlight f : List.copyOf(inFlight.values())) {
            if (now > f.deadlineMillis() && inFlight.remove(f.invocation().id(), f)) {
                failed(f.invocation(), "Task timed out after " + timeoutMillis + " ms");
                try {
                    onTimeout.run();
                } catch (RuntimeException e) {
                    LOG.error("after the timeout of invocation {}: {}", f.invocation().id(), e.toString());
                }
            }
        }
    }

    private static String idOf(String path) {
        String rest = path.substring("/invocation/".length());
        return rest.substring(0, rest.indexOf('/'));
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (var out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void close() {
        retries.shutdownNow();
        server.stop(0);
    }
}
