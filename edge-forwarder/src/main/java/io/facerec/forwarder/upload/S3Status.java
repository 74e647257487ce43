package io.facerec.forwarder.upload;

import java.time.Clock;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Whether S3 takes the forwarder's puts, as /health reports it: failing since when, and why in words
 * an operator can act on ("no AWS credentials", "HTTP 403 AccessDenied", "unreachable").
 */
public final class S3Status {
    private final Clock clock;
    private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
    private long failingSince = -1;
    private String lastError = "";

    public S3Status(S3Client s3, Clock clock) {
        this.clock = clock;
        this.credentials = s3.serviceClientConfiguration().credentialsProvider();
    }

    public synchronized void succeeded() {
        failingSince = -1;
        lastError = "";
    }

    /** Records the failure and returns its description. */
    public synchronized String failed(SdkException e) {
        if (failingSince < 0) {
            failingSince = clock.millis();
        }
        lastError = describe(e);
        return lastError;
    }

    /** When S3 started failing, or empty while it works (or has not been tried). */
    public synchronized Optional<Long> failingSince() {
        return failingSince < 0 ? Optional.empty() : Optional.of(failingSince);
    }

    public synchronized String lastError() {
        return lastError;
    }

    /** Missing credentials are named as such: the SDK reports them as a client exception like any other. */
    String describe(SdkException e) {
        if (e instanceof S3Exception s) {
            return "HTTP " + s.statusCode() + (s.awsErrorDetails() == null ? "" : " " + s.awsErrorDetails().errorCode());
        }
        if (e instanceof SdkClientException && missingCredentials().isPresent()) {
            return missingCredentials().get();
        }
        return "unreachable (" + e.getClass().getSimpleName() + ")";
    }

    /** A description when no credentials can be had, else empty. */
    public Optional<String> missingCredentials() {
        try {
            credentials.resolveIdentity().join();
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("no AWS credentials");
        }
    }
}
