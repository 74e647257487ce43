package io.facerec.api.aws;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Every AWS client the results API uses, built here once per container (the JDK's HTTP stack, no
 * Apache or Netty to load at cold start). Everything else takes them through its constructor, so a
 * recording client can be passed in.
 */
public final class ApiClients {
    private ApiClients() {
    }

    public static DynamoDbClient dynamoDb(Optional<URI> endpoint) {
        var b = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(b::endpointOverride);
        return b.build();
    }

    public static S3Client s3(Optional<URI> endpoint) {
        var b = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
        // an S3-compatible server (an endpoint set) gets whole-body signing: S3Proxy answers some aws-chunked
        // (streaming-signed) PUTs before the client has written the last chunk, which fails ~8% of them
        endpoint.ifPresent(e -> b.endpointOverride(e).forcePathStyle(true)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build()));
        return b.build();
    }

    public static SecretsManagerClient secrets() {
        return SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }
}
