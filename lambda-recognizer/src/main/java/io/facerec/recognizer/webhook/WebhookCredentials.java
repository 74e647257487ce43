package io.facerec.recognizer.webhook;

import io.facerec.model.webhook.WebhookSigner;
import io.facerec.recognizer.config.RecognizerConfig;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The two secrets of a delivery, each from Secrets Manager (by ARN) or from the environment: the
 * Bearer token the Next.js app checks ({@code WEBHOOK_SECRET_ARN} or
 * {@code FACIAL_RECOGNITION_WEBHOOK_SECRET}) and the Standard Webhooks signing key
 * ({@code WEBHOOK_SIGNING_KEY_ARN} or {@code WEBHOOK_SIGNING_KEY}). Both are cached for
 * {@code WEBHOOK_SECRET_TTL_S}, dropped before a SnapStart snapshot and re-read after a restore.
 */
public final class WebhookCredentials {
    private final CachedSecret<String> bearer;
    private final CachedSecret<WebhookSigner> signer;

    public WebhookCredentials(CachedSecret<String> bearer, CachedSecret<WebhookSigner> signer) {
        this.bearer = bearer;
        this.signer = signer;
    }

    public static Optional<WebhookCredentials> from(RecognizerConfig config, Function<String, String> secretsManager,
                                                    LongSupplier nanoTime) {
        if (config.webhookUrl().isEmpty()) {
            return Optional.empty();
        }
        CachedSecret<String> bearer = new CachedSecret<>(name("webhook Bearer token", config.webhookSecretArn()),
                source(config.webhookSecretArn(), config.webhookSecret(), secretsManager), WebhookCredentials::headerValue,
                config.webhookSecretTtl(), nanoTime);
        CachedSecret<WebhookSigner> signer = new CachedSecret<>(name("webhook signing key", config.webhookSigningKeyArn()),
                source(config.webhookSigningKeyArn(), config.webhookSigningKey(), secretsManager), WebhookSigner::new,
                config.webhookSecretTtl(), nanoTime);
        return Optional.of(new WebhookCredentials(bearer, signer));
    }

    /** Reads a secret's value by ARN; the client is built on first use (none when no ARN is configured). */
    public static Function<String, String> from(Supplier<SecretsManagerClient> client) {
        Supplier<SecretsManagerClient> once = new Supplier<>() {
            private SecretsManagerClient built;

            @Override
            public synchronized SecretsManagerClient get() {
                if (built == null) {
                    built = client.get();
                }
                return built;
            }
        };
        return arn -> once.get().getSecretValue(b -> b.secretId(arn)).secretString();
    }

    public String bearer() {
        return bearer.get();
    }

    public WebhookSigner signer() {
        return signer.get();
    }

    /** Before a snapshot. */
    public void forget() {
        bearer.forget();
        signer.forget();
    }

    /** After a restore. */
    public void refresh() {
        bearer.refresh();
        signer.refresh();
    }

    private static String name(String what, Optional<String> arn) {
        return what + arn.map(a -> " " + a).orElse(" (from the environment)");
    }

    private static Supplier<String> source(Optional<String> arn, Optional<String> env, Function<String, String> secretsManager) {
        return arn.<Supplier<String>>map(a -> () -> secretsManager.apply(a)).orElseGet(() -> env::orElseThrow);
    }

    /** A token goes in a header: one line of visible characters. */
    private static String headerValue(String token) {
        if (!token.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("it must be printable ASCII on one line");
        }
        return token;
    }
}
