package io.facerec.api.handler;

import io.facerec.api.auth.ApiKeyAuthenticator;
import io.facerec.api.aws.ApiClients;
import io.facerec.api.config.ApiConfig;
import io.facerec.api.control.ControlService;
import io.facerec.api.control.ControlStore;
import io.facerec.api.http.ApiError;
import io.facerec.api.http.ApiRequest;
import io.facerec.api.http.ApiResponse;
import io.facerec.api.http.JsonBody;
import io.facerec.api.register.ImageFetcher;
import io.facerec.api.register.RegistrationService;
import io.facerec.api.results.ResultReader;
import io.facerec.api.results.ResultsService;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The routes of the old API under {@code /api}, built once per container: authenticate, parse,
 * call the service, map the answer. Every answer is JSON; nothing below leaks a stack trace.
 */
public final class ResultsApi {
    private static final Logger LOG = LogManager.getLogger(ResultsApi.class);
    public static final String BASE = "/api";

    private final ApiKeyAuthenticator auth;
    private final ResultsService results;
    private final ControlService control;
    private final RegistrationService registration;
    private final int maxLimit;

    public ResultsApi(ApiKeyAuthenticator auth, ResultsService results, ControlService control,
                      RegistrationService registration, int maxLimit) {
        this.auth = auth;
        this.results = results;
        this.control = control;
        this.registration = registration;
        this.maxLimit = maxLimit;
    }

    /** The production wiring: settings from the environment, real AWS clients, the key from Secrets Manager. */
    public static ResultsApi fromEnvironment() {
        ApiConfig config = ApiConfig.fromEnvironment();
        LOG.info("starting with {}", config);
        return create(config, ApiClients.dynamoDb(config.dynamoDbEndpoint()), ApiClients.s3(config.s3Endpoint()),
                config.apiKeySecretArn().isPresent() ? ApiClients.secrets() : null, Clock.systemUTC());
    }

    /** The key from Secrets Manager ({@code API_KEY_SECRET_ARN}, through {@code secrets}) or from {@code API_KEY}. */
    public static ResultsApi create(ApiConfig config, DynamoDbClient ddb, S3Client s3, SecretsManagerClient secrets,
                                    Clock clock) {
        Supplier<String> key = config.apiKeySecretArn().<Supplier<String>>map(
                arn -> () -> secrets.getSecretValue(b -> b.secretId(arn)).secretString())
                .orElse(() -> config.apiKey().orElseThrow(() -> new IllegalStateException("no API key configured")));
        return create(config, ddb, s3, new ApiKeyAuthenticator(key, config.apiKeyRefresh(), clock), clock);
    }

    public static ResultsApi create(ApiConfig config, DynamoDbClient ddb, S3Client s3, ApiKeyAuthenticator auth,
                                    Clock clock) {
        ControlService control = new ControlService(new ControlStore(ddb, s3, config.resultsTable(), config.bucket()),
                config.defaultThreshold(), config.defaultStreamUrl(), clock);
        ResultReader reader = new ResultReader(ddb, config.resultsTable(), config.lookbackDays(), config.maxItemsRead(), clock);
        RegistrationService reg = new RegistrationService(s3, config.bucket(),
                new ImageFetcher(ImageFetcher.client(config.register()), config.register()),
                config.register().maxImageBytes());
        return new ResultsApi(auth, new ResultsService(reader, control), control, reg, config.maxLimit());
    }

    public ApiResponse handle(ApiRequest req) {
        try {
            if (!auth.allows(req)) {
                return ApiResponse.error(401, "missing or wrong API key (Authorization: Bearer <key>)");
            }
            return route(req);
        } catch (ApiError e) {
            return ApiResponse.error(e.status(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed (request {})", req.method(), safePath(req.path()), req.requestId(), e);
            return ApiResponse.error(500, "internal error (request " + req.requestId() + ")");
        }
    }

    private ApiResponse route(ApiRequest req) {
        String path = req.path();
        if (!(path.equals(BASE) || path.startsWith(BASE + "/"))) {
            throw new ApiError(404, "no such route: the API lives under " + BASE + "/");
        }
        String rest = path.substring(BASE.length());
        if (rest.length() > 1 && rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String m = req.method();
        switch (rest) {
            case "/status" -> {
                return only(m, "GET", () -> results.status());
            }
            case "/start" -> {
                return only(m, "POST", () -> control.start());
            }
            case "/stop" -> {
                return only(m, "POST", () -> control.stop());
            }
            case "/results" -> {
                return only(m, "GET", () -> results.results(limit(req)));
            }
            case "/latest" -> {
                return only(m, "GET", () -> results.latest());
            }
            case "/stats" -> {
                return only(m, "GET", () -> results.stats());
            }
            case "/config" -> {
                return only(m, "PUT", () -> control.configure(JsonBody.parse(req.body(), false)));
            }
            case "/register" -> {
                return only(m, "POST", () -> registration.register(JsonBody.parse(req.body(), false)));
            }
            default -> {
                if (rest.startsWith("/results/") && rest.length() > "/results/".length()) {
                    String name = decodeSegment(rest.substring("/results/".length()));
                    return only(m, "GET", () -> results.resultsFor(name, limit(req)));
                }
                throw new ApiError(404, "no such route: " + m + " " + safePath(path));
            }
        }
    }

    private static ApiResponse only(String method, String allowed, Supplier<Object> call) {
        if (!method.equals(allowed)) {
            ApiResponse r = ApiResponse.error(405, "method " + method + " not allowed here; use " + allowed);
            return new ApiResponse(405, r.body(), java.util.Map.of("allow", allowed));
        }
        return ApiResponse.ok(call.get());
    }

    /** {@code limit}: a whole number; above the maximum or below 1 it is clamped. */
    int limit(ApiRequest req) {
        String v = req.queryParam("limit").orElse(null);
        if (v == null || v.isBlank()) {
            return Math.min(ApiConfig.DEFAULT_LIMIT, maxLimit);
        }
        long n;
        try {
            n = Long.parseLong(v.strip());
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("limit must be a whole number");
        }
        return (int) Math.max(1, Math.min(maxLimit, n));
    }

    /** Percent-decoding of one path segment ('+' stays '+', as in any path). */
    static String decodeSegment(String raw) {
        if (raw.contains("/")) {
            throw new ApiError(404, "no such route");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw ApiError.badRequest("bad percent-encoding in the path");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw ApiError.badRequest("bad percent-encoding in the path");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        String s = out.toString(StandardCharsets.UTF_8);
        if (s.isBlank()) {
            throw ApiError.badRequest("name must not be empty");
        }
        return s;
    }

    /** Paths are client input: cut and stripped of control characters before they are logged or echoed. */
    static String safePath(String p) {
        String s = p.length() > 120 ? p.substring(0, 120) + "..." : p;
        return s.replaceAll("\\p{Cntrl}", "?");
    }
}
