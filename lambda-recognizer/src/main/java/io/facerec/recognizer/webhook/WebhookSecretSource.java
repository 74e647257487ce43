package io.facerec.recognizer.webhook;

import io.facerec.recognizer.config.RecognizerConfig;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The signing secret: from Secrets Manager when {@code WEBHOOK_SECRET_ARN} is set, else from
 * {@code FACIAL_RECOGNITION_WEBHOOK_SECRET}. Fetched once at init; errors name the ARN, never a value.
 */
public final class WebhookSecretSource {
    private WebhookSecretSource() {
    }

    public static Optional<String> resolve(RecognizerConfig config, Function<String, String> secretsManager) {
        if (config.webhookSecretArn().isPresent()) {
            String arn = config.webhookSecretArn().get();
            try {
                String v = secretsManager.apply(arn);
                if (v == null || v.isBlank()) {
                    throw new IllegalStateException("secret " + arn + " is empty");
                }
                return Optional.of(v.strip());
            } catch (RuntimeException e) {
                throw new IllegalStateException("webhook secret " + arn + " could not be read: "
                        + e.getClass().getSimpleName(), e);
            }
        }
        return config.webhookSecret();
    }

    public static Function<String, String> from(SecretsManagerClient client) {
        return arn -> client.getSecretValue(b -> b.secretId(arn)).secretString();
    }
}
