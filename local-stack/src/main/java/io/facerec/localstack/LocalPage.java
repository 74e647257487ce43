package io.facerec.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.facerec.archiver.bundle.BundleIndex;
import io.facerec.archiver.restore.ArchivedFrames;
import io.facerec.archiver.store.ArchiveStore;
import io.facerec.archiver.store.S3ArchiveStore;
import io.facerec.archiver.store.StoredPart;
import io.facerec.loopback.WebhookReceiver;
import io.facerec.model.frame.BundleKey;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.result.ResultKeys;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The page: the live feed (each frame with its face boxes and names), the latest webhook deliveries
 * and whether their signatures verified, counts per person, who is in the gallery, enrolment by
 * upload or by dropping photos in {@code enroll-inbox/<name>/}, the archive's latest bundles (a
 * frame already archived is served from its bundle), and the clusters of unknown faces with their
 * crops and a button that enrols one under a name.
 */
public final class LocalPage implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(LocalPage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpServer server;
    private final S3Client s3;
    private final DynamoDbClient ddb;
    private final WebhookReceiver receiver;
    private final LambdaRuntimeApi runtime;
    private final String bucket;
    private final String table;
    private final List<String> cameras;
    private final Path inbox;
    private final UnknownPromoter promoter;
    private final Set<String> uploaded = new HashSet<>();
    private final ArchiveStore archiveStore;
    private final ArchivedFrames archivedFrames;
    private final Map<String, Integer> frameCounts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "enroll-inbox");
        t.setDaemon(true);
        return t;
    });

    public LocalPage(int port, S3Client s3, DynamoDbClient ddb, WebhookReceiver receiver, LambdaRuntimeApi runtime,
                     String bucket, String table, List<String> cameras, Path inbox) throws IOException {
        this(port, s3, ddb, receiver, runtime, bucket, table, cameras, inbox, null);
    }

    /** {@code promoter}: what the page's "enrol" button of a cluster of unknown faces runs (null: none). */
    public LocalPage(int port, S3Client s3, DynamoDbClient ddb, WebhookReceiver receiver, LambdaRuntimeApi runtime,
                     String bucket, String table, List<String> cameras, Path inbox, UnknownPromoter promoter)
            throws IOException {
        this.promoter = promoter;
        this.s3 = s3;
        this.ddb = ddb;
        this.receiver = receiver;
        this.runtime = runtime;
        this.bucket = bucket;
        this.table = table;
        this.cameras = cameras;
        this.inbox = Files.createDirectories(inbox);
        this.archiveStore = new S3ArchiveStore(s3, bucket);
        this.archivedFrames = new ArchivedFrames(archiveStore);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "page");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::index);
        server.createContext("/api/state", ex -> safe(ex, () -> send(ex, 200, "application/json", JSON.writeValueAsBytes(state()))));
        server.createContext("/api/frame", this::frame);
        server.createContext("/api/archive", ex -> safe(ex, () -> send(ex, 200, "application/json",
                JSON.writeValueAsBytes(archive()))));
        server.createContext("/api/enroll", this::enroll);
        server.createContext("/api/crop", this::crop);
        server.createContext("/api/promote", this::promote);
        server.start();
        poller.scheduleWithFixedDelay(this::scanInbox, 1, 2, TimeUnit.SECONDS);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    ObjectNode state() throws Exception {
        ObjectNode out = JSON.createObjectNode();
        ArrayNode frames = out.putArray("frames");
        for (String cam : cameras) {
            var items = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p").scanIndexForward(false).limit(12)
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(cam))))).items();
            for (var it : items) {
                ObjectNode f = frames.addObject();
                f.put("camera", it.get("cameraId").s()).put("time", it.get("captureTime").s()).put("key", it.get("s3Key").s())
                        .put("width", num(it, "width")).put("height", num(it, "height"))
                        .put("ms", num(it, "processingMs"));
                if (it.containsKey("error")) {
                    f.put("error", it.get("error").s());
                }
                if (it.containsKey("galleryProblem")) {
                    f.put("galleryProblem", it.get("galleryProblem").s());
                }
                ArrayNode faces = f.putArray("faces");
                for (AttributeValue fv : it.get("faces").l()) {
                    var m = fv.m();
                    ObjectNode face = faces.addObject();
                    AttributeValue label = m.get("label");
                    face.put("label", label.nul() != null && label.nul() ? "unmatched" : label.s());
                    face.put("known", m.get("known").bool());
                    face.put("similarity", Double.parseDouble(m.get("similarity").n()));
                    var box = m.get("box").m();
                    face.putObject("box").put("left", num(box, "left")).put("top", num(box, "top"))
                            .put("right", num(box, "right")).put("bottom", num(box, "bottom"));
                }
            }
        }
        ArrayNode latest = out.putArray("deliveries");
        Map<String, Integer> counts = new TreeMap<>();
        if (receiver == null) {
            appDeliveries(latest, counts);
        }
        JsonNode deliveries = receiver == null ? JSON.createArrayNode() : JSON.readTree(receiver.deliveriesJson());
        for (int i = deliveries.size() - 1; i >= 0; i--) {
            JsonNode d = deliveries.get(i);
            String name = d.at("/body/result/name").asText();
            boolean ok = d.get("verified").asBoolean() && d.get("status").asInt() < 300;
            if (ok && !d.get("duplicate").asBoolean()) {
                counts.merge(name, 1, Integer::sum);
            }
            if (latest.size() < 15) {
                // camera_id is null unless APP_CAMERA_IDS maps the camera: then the stream URL names it
                JsonNode camera = d.at("/body/camera_id").isTextual() ? d.at("/body/camera_id") : d.at("/body/camera_stream_url");
                latest.addObject().put("name", name).put("camera", camera.isTextual() ? camera.asText() : "")
                        .put("confidence", d.at("/body/result/confidence").asDouble())
                        .put("verified", d.get("verified").asBoolean()).put("status", d.get("status").asInt())
                        .put("at", d.get("receivedAt").asText());
            }
        }
        ObjectNode c = out.putObject("counts");
        counts.forEach(c::put);
        ObjectNode gallery = out.putObject("gallery");
        Map<String, Integer> people = new TreeMap<>();
        S3GalleryObjects.labels(s3, bucket, "gallery/").forEach(l -> people.merge(l, 1, Integer::sum));
        people.forEach(gallery::put);
        ArrayNode enrol = out.putArray("enrolments");
        var scan = ddb.scan(b -> b.tableName(table).filterExpression("#t = :e").expressionAttributeNames(Map.of("#t", "type"))
                .expressionAttributeValues(Map.of(":e", AttributeValue.fromS("enrolment"))));
        for (var it : scan.items()) {
            ObjectNode e = enrol.addObject().put("name", it.get("name").s()).put("samples", num(it, "samples"));
            ObjectNode photos = e.putObject("photos");
            it.get("photos").m().forEach((k, v) -> photos.put(k, v.s()));
        }
        out.set("clusters", clusters());
        var st = runtime.stats();
        out.putObject("invocations").put("succeeded", st.succeeded()).put("errors", st.errors())
                .put("retries", st.retries()).put("failed", st.failed().size()).put("pending", runtime.pending());
        return out;
    }

    /** The clusters of unknown faces, newest sighting first (items: ResultKeys, partition UNKNOWN). */
    ArrayNode clusters() {
        ArrayNode out = JSON.createArrayNode();
        var items = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p AND begins_with(sk, :c)")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.UNKNOWN_PK),
                        ":c", AttributeValue.fromS(ResultKeys.CLUSTER_SK_PREFIX)))).items();
        items.stream().sorted((a, b) -> b.get("lastSeen").s().compareTo(a.get("lastSeen").s())).forEach(it -> {
            ObjectNode c = out.addObject().put("number", num(it, "number")).put("tracks", num(it, "tracks"))
                    .put("faces", num(it, "faces")).put("firstSeen", it.get("firstSeen").s())
                    .put("lastSeen", it.get("lastSeen").s());
            ArrayNode cams = c.putArray("cameras");
            it.get("cameras").ss().stream().sorted().forEach(cams::add);
            ArrayNode crops = c.putArray("crops");
            it.get("samples").l().stream().map(AttributeValue::m).filter(m -> m.containsKey("crop"))
                    .forEach(m -> crops.add(m.get("crop").s()));
            if (it.containsKey("promotedTo")) {
                c.put("promotedTo", it.get("promotedTo").s());
            }
        });
        return out;
    }

    private void crop(HttpExchange ex) throws IOException {
        safe(ex, () -> {
            String key = query(ex).get("key");
            if (key == null || !key.startsWith(ResultKeys.UNKNOWN_CROPS_PREFIX) || key.contains("..")) {
                send(ex, 400, "text/plain", "key must be an unknown/ key".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] b = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
            send(ex, 200, "image/jpeg", b);
        });
    }

    /** Enrols a cluster of unknown faces under a name: the page's button, running {@code bin/unknown promote}. */
    private void promote(HttpExchange ex) throws IOException {
        safe(ex, () -> {
            if (!fromThisPage(ex)) {
                send(ex, 403, "text/plain", "enrolment is accepted from this page only".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Map<String, String> q = query(ex);
            String name = q.getOrDefault("name", "").strip();
            long number;
            try {
                number = Long.parseLong(q.getOrDefault("number", ""));
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (!ex.getRequestMethod().equals("POST") || number < 0 || name.isEmpty() || promoter == null) {
                send(ex, 400, "text/plain", "POST ?number=<cluster>&name=<person>".getBytes(StandardCharsets.UTF_8));
                return;
            }
            UnknownPromoter.Outcome o = promoter.promote(number, name);
            ObjectNode body = JSON.createObjectNode().put("promoted", o.exit() == 0).put("message", o.output());
            send(ex, o.exit() == 0 ? 201 : o.exit() == 2 ? 400 : 502, "application/json", JSON.writeValueAsBytes(body));
        });
    }

    /**
     * The deliveries to the user's own app, as the recognizer recorded them on each frame: the app's
     * answer is the HTTP status there ("HTTP 201"), or why it failed.
     */
    private void appDeliveries(ArrayNode latest, Map<String, Integer> counts) {
        for (String cam : cameras) {
            var items = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p").scanIndexForward(false).limit(50)
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(ResultKeys.cameraPk(cam))))).items();
            for (var it : items) {
                if (!it.containsKey("webhooks")) {
                    continue;
                }
                for (AttributeValue d : it.get("webhooks").l()) {
                    var m = d.m();
                    String state = m.get("status").s();
                    if ("DELIVERED".equals(state)) {
                        counts.merge(m.get("name").s(), 1, Integer::sum);
                    }
                    if (latest.size() < 15 && !"COOLDOWN".equals(state)) {
                        // a track's announcement carries its own face (it may be of an earlier frame)
                        String similarity = m.containsKey("track") ? m.get("track").m().get("similarity").n()
                                : it.get("faces").l().get(Integer.parseInt(m.get("face").s())).m().get("similarity").n();
                        latest.addObject().put("name", m.get("name").s()).put("camera", it.get("cameraId").s())
                                .put("confidence", Double.parseDouble(similarity))
                                .put("status", state + " " + m.get("detail").s()).put("at", it.get("captureTime").s());
                    }
                }
            }
        }
    }

    private void frame(HttpExchange ex) throws IOException {
        safe(ex, () -> {
            String key = query(ex).get("key");
            if (key == null || !key.startsWith("frames/")) {
                send(ex, 400, "text/plain", "key must be a frames/ key".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] b;
            try {
                b = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asByteArray();
            } catch (NoSuchKeyException gone) {
                // archived since: its bundle follows from the key, its index says where it lies
                Optional<byte[]> archived = FrameKey.parse(key).isPresent()
                        ? archivedFrames.read(FrameKey.parse(key).get()) : Optional.empty();
                if (archived.isEmpty()) {
                    send(ex, 404, "text/plain", "neither in frames/ nor in archive/".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                b = archived.get();
            }
            send(ex, 200, "image/jpeg", b);
        });
    }

    /** The latest bundle parts, newest hour first, with their frame counts (from their indexes, cached). */
    ObjectNode archive() throws Exception {
        List<StoredPart> parts = new ArrayList<>();
        Map<String, S3Object> tars = new HashMap<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(BundleKey.PREFIX)).contents()) {
            BundleKey.parse(o.key()).filter(k -> BundleKey.isTar(o.key())).ifPresent(k -> {
                tars.put(k.tarKey(), o);
                parts.add(new StoredPart(k, true, true, o.size(), o.storageClassAsString()));
            });
        }
        parts.sort(Comparator.comparing((StoredPart p) -> p.key().hour()).reversed()
                .thenComparing(p -> p.key().cameraId()).thenComparingInt(p -> p.key().part()));
        ObjectNode out = JSON.createObjectNode();
        ArrayNode list = out.putArray("bundles");
        long bytes = 0;
        for (StoredPart p : parts) {
            bytes += p.tarSize();
        }
        for (StoredPart p : parts.subList(0, Math.min(24, parts.size()))) {
            String cacheKey = p.key().tarKey() + "@" + tars.get(p.key().tarKey()).eTag();
            Integer frames = frameCounts.get(cacheKey);
            if (frames == null) {
                try {
                    frames = BundleIndex.parse(archiveStore.indexBytes(p.key()), p.key()).frameCount();
                    frameCounts.put(cacheKey, frames);
                } catch (IOException | BundleIndex.InvalidIndexException e) {
                    frames = -1;
                }
            }
            list.addObject().put("camera", p.key().cameraId()).put("hour", p.key().hour().toString())
                    .put("part", p.key().part()).put("key", p.key().tarKey()).put("frames", frames)
                    .put("bytes", p.tarSize()).put("storageClass", p.storageClass() == null ? "STANDARD" : p.storageClass());
        }
        out.putObject("total").put("bundles", parts.size()).put("bytes", bytes);
        return out;
    }

    private void enroll(HttpExchange ex) throws IOException {
        safe(ex, () -> {
            if (!fromThisPage(ex)) {
                // another site's page in the user's browser, or a name rebound to 127.0.0.1: not ours to obey
                send(ex, 403, "text/plain", "enrolment is accepted from this page only".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Map<String, String> q = query(ex);
            String name = q.getOrDefault("name", "").strip();
            String file = q.getOrDefault("file", "photo.jpg").replaceAll("[^A-Za-z0-9._ -]", "_");
            if (!ex.getRequestMethod().equals("POST") || name.isEmpty() || name.contains("/")) {
                send(ex, 400, "text/plain", "POST a photo with ?name=<person>&file=<name.jpg>".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(20 * 1024 * 1024);
            }
            s3.putObject(b -> b.bucket(bucket).key("enroll/" + name + "/" + file), RequestBody.fromBytes(body));
            send(ex, 201, "application/json", "{\"enrolling\":true}".getBytes(StandardCharsets.UTF_8));
        });
    }

    private void index(HttpExchange ex) throws IOException {
        if (!ex.getRequestURI().getPath().equals("/")) {
            send(ex, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = LocalPage.class.getResourceAsStream("/page/index.html")) {
            send(ex, 200, "text/html; charset=utf-8", in.readAllBytes());
        }
    }

    /**
     * True when the request names this server as the page does: a Host of 127.0.0.1, localhost or
     * [::1] with this port (a DNS-rebound name is refused), and an Origin, when the browser sends one,
     * of that same host (another site's page is refused). Tools on this machine send no Origin.
     */
    boolean fromThisPage(HttpExchange ex) {
        String host = ex.getRequestHeaders().getFirst("Host");
        int port = port();
        List<String> ours = List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port);
        if (host == null || !ours.contains(host.toLowerCase(Locale.ROOT))) {
            return false;
        }
        List<String> origins = ex.getRequestHeaders().get("Origin");
        if (origins == null) {
            return true;
        }
        return origins.size() == 1 && origins.get(0).equalsIgnoreCase("http://" + host);
    }

    /** Photos dropped in enroll-inbox/<name>/ go to enroll/<name>/ once each; a failed upload is tried again. */
    synchronized void scanInbox() {
        try (Stream<Path> people = Files.list(inbox)) {
            for (Path person : people.filter(Files::isDirectory).toList()) {
                try (Stream<Path> photos = Files.list(person)) {
                    for (Path p : photos.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT)
                            .matches(".*\\.(jpe?g|png)")).toList()) {
                        String key = "enroll/" + person.getFileName() + "/" + p.getFileName();
                        String stamp = key + "@" + Files.getLastModifiedTime(p).toMillis();
                        if (!uploaded.contains(stamp)) {
                            try {
                                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromFile(p));
                                uploaded.add(stamp);
                            } catch (RuntimeException e) {
                                LOG.warn("inbox photo {} not uploaded ({}); the next scan tries again", p, e.toString());
                            }
                        }
                    }
                }
            }
        } catch (Exception e) {
            LOG.warn("enroll inbox {} could not be read ({}); the next scan tries again", inbox, e.toString());
        }
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> m = new HashMap<>();
        String q = ex.getRequestURI().getRawQuery();
        if (q != null) {
            for (String kv : q.split("&")) {
                int i = kv.indexOf('=');
                if (i > 0) {
                    m.put(URLDecoder.decode(kv.substring(0, i), StandardCharsets.UTF_8),
                            URLDecoder.decode(kv.substring(i + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return m;
    }

    private static long num(Map<String, AttributeValue> m, String k) {
        AttributeValue v = m.get(k);
        return v == null || v.n() == null ? 0 : Math.round(Double.parseDouble(v.n()));
    }

    interface IoAction {
        void run() throws Exception;
    }

    private static void safe(HttpExchange ex, IoAction a) throws IOException {
        try {
            a.run();
        } catch (Exception e) {
            send(ex, 500, "text/plain", String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", type);
        ex.getResponseHeaders().add("Cache-Control", "no-store");
        ex.sendResponseHeaders(status, body.length);
        try (var out = ex.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        server.stop(0);
    }
}
