package io.facerec.localstack;

import io.facerec.api.auth.ApiKeyAuthenticator;
import io.facerec.api.config.ApiConfig;
import io.facerec.api.handler.ResultsApi;
import io.facerec.api.handler.ResultsApiHandler;
import io.facerec.forwarder.EdgeForwarder;
import io.facerec.forwarder.config.ForwarderConfig;
import io.facerec.forwarder.simulator.SimulatedCamera;
import io.facerec.loopback.Dynalite;
import io.facerec.loopback.ResultTableSchema;
import io.facerec.loopback.S3Server;
import io.facerec.loopback.WebhookReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole system on one machine, no AWS account: S3 (S3Proxy, on disk, raising S3 events), the
 * packaged recognizer under the Lambda runtime interface client, DynamoDB (dynalite, on disk), the
 * forwarder reading STREAM_URL or a simulated ESP32-CAM, the webhook receiver, the archiver on a timer, and a page.
 */
public final class LocalStack implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(LocalStack.class);
    public static final String BUCKET = "facerec-local";
    public static final String TABLE = "facerec-results";
    public static final String CAMERA = "esp32-sim";

    /** Where things live and listen; port 0 takes any free port. */
    public record Settings(Path root, Path dataDir, int pagePort, int s3Port, int dynamoPort, int runtimePort,
                           int webhookPort, int cameraPort, int healthPort, String streamUrl, Path cameraFrames,
                           double cameraFps, double sampleFps, boolean startCamera, String webhookCooldownSeconds,
                           int apiPort, String apiCorsOrigins, UserApp userApp) {
        /** As before the results API: it then listens on any free port. */
        public Settings(Path root, Path dataDir, int pagePort, int s3Port, int dynamoPort, int runtimePort, int webhookPort,
                        int cameraPort, int healthPort, String streamUrl, Path cameraFrames, double cameraFps,
                        double sampleFps, boolean startCamera, String webhookCooldownSeconds) {
            this(root, dataDir, pagePort, s3Port, dynamoPort, runtimePort, webhookPort, cameraPort, healthPort, streamUrl,
                    cameraFrames, cameraFps, sampleFps, startCamera, webhookCooldownSeconds, 0, null, null);
        }

        public Settings(Path root, Path dataDir, int pagePort, int s3Port, int dynamoPort, int runtimePort, int webhookPort,
                        int cameraPort, int healthPort, String streamUrl, Path cameraFrames, double cameraFps,
                        double sampleFps, boolean startCamera, String webhookCooldownSeconds, int apiPort,
                        String apiCorsOrigins) {
            this(root, dataDir, pagePort, s3Port, dynamoPort, runtimePort, webhookPort, cameraPort, healthPort, streamUrl,
                    cameraFrames, cameraFps, sampleFps, startCamera, webhookCooldownSeconds, apiPort, apiCorsOrigins, null);
        }

        /** The same settings, delivering to the user's own app. */
        public Settings withUserApp(UserApp app) {
            return new Settings(root, dataDir, pagePort, s3Port, dynamoPort, runtimePort, webhookPort, cameraPort, healthPort,
                    streamUrl, cameraFrames, cameraFps, sampleFps, startCamera, webhookCooldownSeconds, apiPort,
                    apiCorsOrigins, app);
        }

        public static Settings fromEnvironment(Path root) {
            Map<String, String> e = System.getenv();
            return new Settings(root, Path.of(e.getOrDefault("LOCAL_DATA_DIR", root.resolve("data").toString())),
                    port(e, "PAGE_PORT", 8000), port(e, "S3_PORT", 9000), port(e, "DYNAMODB_PORT", 4567),
                    port(e, "RUNTIME_API_PORT", 9001), port(e, "WEBHOOK_PORT", 8088), port(e, "CAMERA_PORT", 8081),
                    port(e, "HEALTH_PORT", 8082), e.get("STREAM_URL"),
                    Path.of(e.getOrDefault("CAMERA_FRAMES", root.resolve("../shared/testdata/face_recognition/video/frames_5fps").toString())),
                    Double.parseDouble(e.getOrDefault("CAMERA_FPS", "5")), Double.parseDouble(e.getOrDefault("SAMPLE_FPS", "1")),
                    true, e.getOrDefault("WEBHOOK_COOLDOWN_S", "30"), port(e, "API_PORT", 5001), e.get("API_CORS_ORIGINS"),
                    UserApp.from(e));
        }

        private static int port(Map<String, String> e, String key, int def) {
            return Integer.parseInt(e.getOrDefault(key, Integer.toString(def)));
        }
    }

    /**
     * The user's own app (e.g. the Next.js dev server on port 3000), delivered to instead of the local
     * receiver when {@code NEXTJS_WEBHOOK_URL} is set, with its {@code FACIAL_RECOGNITION_WEBHOOK_SECRET};
     * {@code APP_CAMERA_IDS} (may be null) maps the simulated camera to the app's own Camera id.
     */
    public record UserApp(String webhookUrl, String secret, String appCameraIds) {
        public UserApp {
            if (webhookUrl == null || !webhookUrl.matches("https?://\\S+")) {
                throw new IllegalStateException("NEXTJS_WEBHOOK_URL must be an http(s) URL, e.g. "
                        + "http://localhost:3000/api/facial-recognition/webhook");
            }
            if (secret == null || secret.isBlank()) {
                throw new IllegalStateException("NEXTJS_WEBHOOK_URL is set: set FACIAL_RECOGNITION_WEBHOOK_SECRET to "
                        + "the value your app checks too");
            }
        }

        static UserApp from(Map<String, String> e) {
            String url = e.get("NEXTJS_WEBHOOK_URL");
            return url == null || url.isBlank() ? null
                    : new UserApp(url.strip(), e.get("FACIAL_RECOGNITION_WEBHOOK_SECRET"), e.get("APP_CAMERA_IDS"));
        }
    }

    /**
     * What tests add to the product's own AWS clients, a recorder of their calls: interceptors on the
     * forwarder's client, and a classpath entry and environment for the recognizer's process. Nothing
     * when run by hand.
     */
    public record ProductHooks(List<ExecutionInterceptor> forwarderInterceptors, List<Path> recognizerClasspath,
                               Map<String, String> recognizerEnvironment) {
        public static final ProductHooks NONE = new ProductHooks(List.of(), List.of(), Map.of());
    }

    private final List<AutoCloseable> started = new ArrayList<>();
    private final Settings settings;
    private final ProductHooks hooks;
    private final S3Server s3Server;
    private final S3Client s3;
    private final Dynalite dynalite;
    private final DynamoDbClient ddb;
    private final WebhookReceiver receiver;
    private final LambdaRuntimeApi runtime;
    private final LocalPage page;
    private final LocalResultsApi api;
    private final LocalArchiver archiver;
    private final String secret;
    private final String signingKey;
    private final List<String> cameras = new ArrayList<>();
    private volatile RecognizerProcess recognizer;
    private SimulatedCamera camera;
    private EdgeForwarder forwarder;

    public LocalStack(Settings s) throws Exception {
        this(s, ProductHooks.NONE);
    }

    public LocalStack(Settings s, ProductHooks hooks) throws Exception {
        this.settings = s;
        this.hooks = hooks;
        for (int p : new int[] {s.pagePort(), s.s3Port(), s.dynamoPort(), s.runtimePort(), s.userApp() == null ? s.webhookPort() : 0,
            s.streamUrl() == null ? s.cameraPort() : 0, s.healthPort(), s.apiPort()}) {
            requireFree(p);
        }
        Files.createDirectories(s.dataDir());
        try {
            secret = secret(s.dataDir().resolve("webhook-secret"));
            signingKey = signingKey(s.dataDir().resolve("webhook-signing-key"));
            runtime = track(new LambdaRuntimeApi(s.runtimePort(), 60_000, () -> {
                if (recognizer != null) {
                    recognizer.restart();
                }
            }));
            s3Server = track(new S3Server(Files.createDirectories(s.dataDir().resolve("s3")), s.s3Port(),
                    store -> new EventingBlobStore(store, runtime::invoke)));
            s3 = track(s3Server.client());
            if (!s3.listBuckets().buckets().stream().anyMatch(b -> b.name().equals(BUCKET))) {
                s3.createBucket(b -> b.bucket(BUCKET));
            }
            dynalite = track(Dynalite.start(s.dynamoPort() == 0 ? io.facerec.loopback.NodeProcess.freePort() : s.dynamoPort(),
                    Files.createDirectories(s.dataDir().resolve("dynamodb"))));
            ddb = track(dynalite.client());
            ResultTableSchema.ensure(ddb, TABLE);
            // the user's own app receives the deliveries when set; the page then shows what the recognizer recorded
            receiver = s.userApp() != null ? null : track(WebhookReceiver.start(secret, signingKey, s.webhookPort()));
            recognizer = track(new RecognizerProcess(recognizerJar(s.root()), s.root().resolve("local-stack/target/ric-lib"),
                    hooks.recognizerClasspath(), recognizerEnv(), s.dataDir().resolve("logs/recognizer.log")));
            api = track(new LocalResultsApi(s.apiPort(), new ResultsApiHandler(ResultsApi.create(ApiConfig.from(apiEnv()), ddb, s3,
                    ApiKeyAuthenticator.none(), Clock.systemUTC())), LocalResultsApi.origins(s.apiCorsOrigins())));
            // the archiver's own client, as it has in AWS
            archiver = track(new LocalArchiver(track(s3Server.client()), BUCKET, LocalArchiver.Settings.fromEnvironment()));
            cameras.add(CAMERA);
            page = track(new LocalPage(s.pagePort(), s3, ddb, receiver, runtime, BUCKET, TABLE, cameras,
                    s.dataDir().resolve("enroll-inbox"), new UnknownPromoter(recognizerJar(s.root()), promoterEnv())));
            if (s.startCamera()) {
                startCamera();
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** The simulated camera (unless STREAM_URL is set) and the forwarder. */
    public synchronized void startCamera() throws Exception {
        if (forwarder != null) {
            return;
        }
        String url = settings.streamUrl();
        if (url == null || url.isBlank()) {
            if (!Files.isDirectory(settings.cameraFrames())) {
                throw new IllegalStateException("camera frames folder " + settings.cameraFrames() + " not found: set "
                        + "CAMERA_FRAMES to a folder of JPEGs, or STREAM_URL to your camera's stream");
            }
            camera = track(new SimulatedCamera(SimulatedCamera.framesFrom(settings.cameraFrames()), settings.cameraFps(),
                    settings.cameraPort(), "/stream"));
            url = camera.streamUrl();
        }
        Map<String, String> env = new HashMap<>();
        env.put("STREAM_URL", url);
        env.put("CAMERA_ID", CAMERA);
        env.put("S3_BUCKET", BUCKET);
        env.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
        env.put("SPOOL_DIR", settings.dataDir().resolve("spool").toString());
        env.put("SAMPLE_FPS", Double.toString(settings.sampleFps()));
        env.put("MOTION_THRESHOLD", "0.01");
        env.put("KEEPALIVE_S", "10");
        env.put("HEALTH_PORT", Integer.toString(settings.healthPort()));
        env.put("CONTROL_POLL_S", "2");
        // a client of its own, as on an edge box
        S3Client forwarderS3 = track(s3Server.client(hooks.forwarderInterceptors().toArray(ExecutionInterceptor[]::new)));
        forwarder = track(new EdgeForwarder(ForwarderConfig.from(env), forwarderS3, Clock.systemUTC()));
    }

    /** What {@code bin/unknown} needs to reach this stack. */
    private Map<String, String> promoterEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        return env;
    }

    private Map<String, String> recognizerEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:" + runtime.port());
        env.put("AWS_LAMBDA_FUNCTION_NAME", "facerec-recognizer");
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "live");
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "2048");
        env.put("AWS_LAMBDA_LOG_FORMAT", "JSON");
        env.put("AWS_REGION", "us-east-1");
        env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("_HANDLER", RecognizerProcess.HANDLER);
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        UserApp app = settings.userApp();
        env.put("NEXTJS_WEBHOOK_URL", app != null ? app.webhookUrl() : receiver.url().toString());
        env.put("FACIAL_RECOGNITION_WEBHOOK_SECRET", app != null ? app.secret() : secret);
        env.put("WEBHOOK_SIGNING_KEY", signingKey);
        env.put("WEBHOOK_ALLOW_HTTP", "true"); // the receiver, or the user's dev server, is on this machine
        if (app != null && app.appCameraIds() != null) {
            env.put("APP_CAMERA_IDS", app.appCameraIds());
        }
        env.put("GALLERY_REFRESH_S", "2");
        env.put("CONTROL_REFRESH_S", "1");
        env.put("WEBHOOK_COOLDOWN_S", settings.webhookCooldownSeconds());
        env.put("OPT_OUT_TRACKING", "true");
        env.put("LOG_LEVEL", "INFO");
        env.putAll(hooks.recognizerEnvironment());
        return env;
    }

    /** The results API on loopback: the same table and bucket; photos may come from this machine's servers. */
    private Map<String, String> apiEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", TABLE);
        env.put("GALLERY_BUCKET", BUCKET);
        env.put("REGISTER_ALLOW_HTTP", "true");
        env.put("REGISTER_ALLOW_PRIVATE_HOSTS", "true");
        String stream = settings.streamUrl() != null ? settings.streamUrl()
                : settings.cameraPort() > 0 ? "http://127.0.0.1:" + settings.cameraPort() + "/stream" : "";
        env.put("STREAM_URL", stream);
        return env;
    }

    /** The jar for this machine's architecture, as the recognizer module builds it. */
    static Path recognizerJar(Path root) {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "x86_64";
        return root.resolve("lambda-recognizer/target/recognizer-" + arch + ".jar");
    }

    /** The Bearer token: made once, kept in the data folder. */
    static String secret(Path file) throws IOException {
        return kept(file, () -> "local-" + HexFormat.of().formatHex(random(24)));
    }

    /** The Standard Webhooks signing key, a secret of its own: made once, kept in the data folder. */
    static String signingKey(Path file) throws IOException {
        return kept(file, () -> "whsec_" + Base64.getEncoder().encodeToString(random(32)));
    }

    private static String kept(Path file, java.util.function.Supplier<String> make) throws IOException {
        if (Files.isRegularFile(file)) {
            return Files.readString(file).strip();
        }
        String s = make.get();
        Files.writeString(file, s);
        return s;
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    static void requireFree(int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        } catch (IOException e) {
            throw new IllegalStateException("port " + port + " is already in use: stop what uses it, or choose "
                    + "another with the matching *_PORT variable (see README)");
        }
    }

    private <T extends AutoCloseable> T track(T c) {
        started.add(c);
        return c;
    }

    public S3Client s3() {
        return s3;
    }

    public DynamoDbClient dynamoDb() {
        return ddb;
    }

    /** The local receiver; null when the deliveries go to the user's own app. */
    public WebhookReceiver receiver() {
        return receiver;
    }

    public LambdaRuntimeApi runtime() {
        return runtime;
    }

    /** The results API's base, as NEXT_PUBLIC_FACIAL_API_URL takes it. */
    public String apiUrl() {
        return api.url();
    }

    public LocalArchiver archiver() {
        return archiver;
    }

    public String pageUrl() {
        return "http://127.0.0.1:" + page.port() + "/";
    }

    public void printUrls() {
        System.out.println();
        System.out.println("facerec local stack is running (Ctrl-C stops it; data in " + settings.dataDir() + ")");
        System.out.println("  page:            " + pageUrl());
        System.out.println("  camera stream:   " + (camera != null ? camera.streamUrl() + " (simulated ESP32-CAM)" : settings.streamUrl()));
        System.out.println("  S3:              " + s3Server.endpoint() + "  bucket " + BUCKET
                + " (access key " + S3Server.ACCESS_KEY + ", secret " + S3Server.SECRET_KEY + ")");
        System.out.println("  DynamoDB:        " + dynalite.endpoint() + "  table " + TABLE);
        System.out.println("  webhook receiver:" + (receiver != null ? receiver.url()
                : settings.userApp().webhookUrl() + " (your app, NEXTJS_WEBHOOK_URL)"));
        System.out.println("  results API:     " + apiUrl() + "  (NEXT_PUBLIC_FACIAL_API_URL; loopback only, no key)");
        System.out.println("  Lambda runtime:  127.0.0.1:" + runtime.port() + "  (recognizer log: "
                + settings.dataDir().resolve("logs/recognizer.log") + ")");
        System.out.println("  archiver:        every " + archiver.settings().everyMinutes() + " min, an hour's frames "
                + archiver.settings().hotMinutes() + " min after it ends -> archive/ (" + archiver.settings().storageClass()
                + "); bin/archive list|restore reads them");
        System.out.println("  enrol someone:   put photos in " + settings.dataDir().resolve("enroll-inbox") + "/<name>/, or upload on the page");
        System.out.println();
    }

    @Override
    public void close() {
        List<AutoCloseable> reverse = new ArrayList<>(started);
        java.util.Collections.reverse(reverse);
        for (AutoCloseable c : reverse) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.debug("closing {}: {}", c, e.toString());
            }
        }
        started.clear();
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("facerec.root", ".")).toAbsolutePath().normalize();
        long t0 = System.nanoTime();
        LocalStack stack;
        try {
            stack = new LocalStack(Settings.fromEnvironment(root));
        } catch (IllegalStateException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.exit(2);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "shutdown"));
        stack.printUrls();
        System.out.printf("started in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        Thread.currentThread().join();
    }
}
