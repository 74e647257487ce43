package io.facerec.api.config;

import io.facerec.model.match.Metric;

import io.facerec.model.config.SettingsReader;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The results API's settings, read once at init and checked: a bad value stops the function at
 * start with every problem listed. The API key comes from Secrets Manager ({@code API_KEY_SECRET_ARN})
 * or, off AWS, from {@code API_KEY}; one of them is required, so no deployment runs without a key
 * (the local stack builds its loopback-only, keyless API in code, not through a setting).
 */
public record ApiConfig(
        String resultsTable,
        String bucket,
        Optional<String> apiKeySecretArn,
        Optional<String> apiKey,
        Duration apiKeyRefresh,
        double defaultThreshold,
        String defaultStreamUrl,
        int maxLimit,
        int lookbackDays,
        int maxItemsRead,
        RegisterSettings register,
        Optional<URI> s3Endpoint,
        Optional<URI> dynamoDbEndpoint) {

    public static final int DEFAULT_LIMIT = 20;

    /** How POST /register fetches and stores photos. */
    public record RegisterSettings(long maxImageBytes, Duration fetchTimeout, boolean allowHttp, boolean allowPrivateHosts,
                                   int maxRedirects) {
    }

    @Override
    public String toString() {
        // the key is never printed
        return "ApiConfig[table=" + resultsTable + ", bucket=" + bucket + ", key="
                + (apiKeySecretArn.isPresent() ? "from Secrets Manager" : apiKey.isPresent() ? "from env" : "none")
                + ", maxLimit=" + maxLimit + ", lookbackDays=" + lookbackDays + ", register=" + register + "]";
    }

    public static ApiConfig fromEnvironment() {
        ApiConfig c = from(System.getenv());
        if (c.apiKeySecretArn().isEmpty() && c.apiKey().isEmpty()) {
            throw new io.facerec.model.config.ConfigException(java.util.List.of(
                    "API_KEY_SECRET_ARN (or API_KEY off AWS) is required: the API never runs without a key"));
        }
        return c;
    }

    /** Every setting; the key may be absent here (the local stack serves without one, on loopback only). */
    public static ApiConfig from(Map<String, String> env) {
        SettingsReader r = SettingsReader.of(env);
        String table = r.required("RESULTS_TABLE");
        String bucket = r.required("GALLERY_BUCKET");
        Optional<String> arn = r.optional("API_KEY_SECRET_ARN");
        Optional<String> key = r.optional("API_KEY");
        key.ifPresent(k -> {
            if (k.length() < 16) {
                r.problem("API_KEY must be at least 16 characters");
            }
        });
        int refresh = r.integer("API_KEY_REFRESH_S", 300, 0, 86_400);
        double threshold = r.decimal("THRESHOLD", Metric.COSINE.defaultThreshold(), 0, 1);
        String stream = r.string("STREAM_URL", "");
        int maxLimit = r.integer("MAX_LIMIT", 500, 1, 10_000);
        int lookback = r.integer("RESULTS_LOOKBACK_DAYS", 30, 1, 3650);
        int maxItems = r.integer("MAX_ITEMS_READ", 5_000, 100, 1_000_000);
        RegisterSettings reg = new RegisterSettings(
                r.whole("REGISTER_MAX_IMAGE_BYTES", 5L * 1024 * 1024, 1024, 9L * 1024 * 1024),
                Duration.ofMillis(r.integer("REGISTER_FETCH_TIMEOUT_MS", 5000, 100, 20_000)),
                r.bool("REGISTER_ALLOW_HTTP", false),
                r.bool("REGISTER_ALLOW_PRIVATE_HOSTS", false),
                r.integer("REGISTER_MAX_REDIRECTS", 2, 0, 5));
        Optional<URI> s3 = r.url("AWS_ENDPOINT_URL_S3").or(() -> r.url("AWS_ENDPOINT_URL"));
        Optional<URI> ddb = r.url("AWS_ENDPOINT_URL_DYNAMODB").or(() -> r.url("AWS_ENDPOINT_URL"));
        r.finish();
        return new ApiConfig(table, bucket, arn, key, Duration.ofSeconds(refresh), threshold, stream, maxLimit, lookback,
                maxItems, reg, s3, ddb);
    }
}
