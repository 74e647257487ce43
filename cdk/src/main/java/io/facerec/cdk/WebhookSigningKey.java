package io.facerec.cdk;

import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Validations;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The Standard Webhooks signing key of the recognizer's deliveries, a secret of its own beside the
 * Bearer token: the token travels in every request, so a key equal to it would let anyone who saw
 * one request sign others. Secrets Manager cannot add a {@code whsec_} prefix, but it can generate
 * {@value #LENGTH} characters of {@code [A-Za-z0-9]} (no punctuation, no space): that is valid
 * base64 of 36 random bytes (about 285 bits), which the Standard Webhooks libraries and the
 * recognizer take as a key as it is, with or without the prefix.
 */
public final class WebhookSigningKey extends Construct {
    /** A multiple of 4, so the value is base64 without padding; 36 bytes once decoded (24 to 64 allowed). */
    public static final int LENGTH = 48;

    private final Secret secret;

    public WebhookSigningKey(Construct scope, String id, RemovalPolicy removal) {
        super(scope, id);
        secret = Secret.Builder.create(this, "Secret")
                .description("Standard Webhooks signing key of the recognizer's webhook deliveries (base64 of 36 "
                        + "bytes; receivers that verify signatures use it, e.g. new Webhook(key)). Not the Bearer token.")
                .generateSecretString(SecretStringGenerator.builder().passwordLength(LENGTH).excludePunctuation(true)
                        .includeSpace(false).build())
                .removalPolicy(removal).build();
        Validations.of(secret).acknowledge(FaceRecStack.ack("AwsSolutions-SMG4",
                "Receivers that verify signatures hold a copy of this key; automatic rotation would break their checks "
                        + "until they are updated. The recognizer re-reads it within WEBHOOK_SECRET_TTL_S, so a rotation by "
                        + "hand needs no redeploy (README, Deploying to AWS)."));
    }

    public ISecret secret() {
        return secret;
    }
}
