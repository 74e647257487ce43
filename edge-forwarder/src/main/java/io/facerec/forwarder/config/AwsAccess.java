package io.facerec.forwarder.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The AWS_* settings the SDK would read from the environment, read here from the environment or
 * {@code .env} alike, so a key put in {@code .env} is used. Empty: the SDK's default chain
 * (environment, profile files, container or instance role). {@link #toString()} shows no secret.
 */
public record AwsAccess(Optional<String> accessKeyId, Optional<String> secretAccessKey, Optional<String> sessionToken,
                        Optional<String> profile, Optional<Path> credentialsFile, Optional<Path> configFile) {

    public boolean hasKeys() {
        return accessKeyId.isPresent() && secretAccessKey.isPresent();
    }

    /** Where the credentials come from, in words, for messages. */
    public String source() {
        if (hasKeys()) {
            return "AWS_ACCESS_KEY_ID";
        }
        if (profile.isPresent()) {
            return "AWS_PROFILE '" + profile.get() + "'";
        }
        return "the default chain (AWS_ACCESS_KEY_ID, AWS_PROFILE, ~/.aws, instance role)";
    }

    @Override
    public String toString() {
        return "AwsAccess[" + source() + "]";
    }
}
