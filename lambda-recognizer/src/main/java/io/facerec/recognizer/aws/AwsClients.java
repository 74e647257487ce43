package io.facerec.recognizer.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The AWS clients, built once per container. Every call is bounded: an attempt gives up after
 * {@code attempt} (connect and read included), a call with its retries after {@code call}, so a
 * stalled endpoint costs a bounded share of the invocation instead of all of it. Endpoint overrides
 * (and path-style S3 addressing) let the same code talk to S3- and DynamoDB-compatible servers on a
 * laptop. All three share one {@link RenewableHttpClient}, which SnapStart's restore hook renews.
 */
public final class AwsClients {
    private AwsClients() {
    }

    /** Per call (all attempts) and per attempt. */
    public record Timeouts(Duration call, Duration attempt) {
        public Timeouts {
            if (attempt.compareTo(call) > 0) {
                throw new IllegalArgumentException("an attempt cannot outlast its call");
            }
        }
    }

    /** The HTTP client of the SDK clients, with the connect and read timeouts of one attempt. */
    public static RenewableHttpClient http(Timeouts t) {
        Duration connect = t.attempt().compareTo(Duration.ofSeconds(2)) < 0 ? t.attempt() : Duration.ofSeconds(2);
        return new RenewableHttpClient(() -> UrlConnectionHttpClient.builder().connectionTimeout(connect)
                .socketTimeout(t.attempt()).build());
    }

    public static S3Client s3(Optional<URI> endpoint, Timeouts t) {
        return s3(endpoint, t, http(t));
    }

    public static DynamoDbClient dynamoDb(Optional<URI> endpoint, Timeouts t) {
        return dynamoDb(endpoint, t, http(t));
    }

    public static SecretsManagerClient secrets(Optional<URI> endpoint, Timeouts t) {
        return secrets(endpoint, t, http(t));
    }

    public static S3Client s3(Optional<URI> endpoint, Timeouts t, SdkHttpClient http) {
        var b = S3Client.builder().httpClient(http).overrideConfiguration(bounded(t));
        // an S3-compatible server (an endpoint set) gets whole-body signing: S3Proxy answers some aws-chunked
        // (streaming-signed) PUTs before the client has written the last chunk, which fails ~8% of them
        endpoint.ifPresent(e -> b.endpointOverride(e).forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()));
        return b.build();
    }

    public static DynamoDbClient dynamoDb(Optional<URI> endpoint, Timeouts t, SdkHttpClient http) {
        var b = DynamoDbClient.builder().httpClient(http).overrideConfiguration(bounded(t));
        endpoint.ifPresent(b::endpointOverride);
        return b.build();
    }

    public static SecretsManagerClient secrets(Optional<URI> endpoint, Timeouts t, SdkHttpClient http) {
        var b = SecretsManagerClient.builder().httpClient(http).overrideConfiguration(bounded(t));
        endpoint.ifPresent(b::endpointOverride);
        return b.build();
    }

    private static ClientOverrideConfiguration bounded(Timeouts t) {
        return ClientOverrideConfiguration.builder().apiCallTimeout(t.call()).apiCallAttemptTimeout(t.attempt()).build();
    }
}
