package io.facerec.recognizer.aws;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The AWS clients, built once per container. Endpoint overrides (and path-style S3 addressing) let
 * the same code talk to S3- and DynamoDB-compatible servers on a laptop.
 */
public final class AwsClients {
    private AwsClients() {
    }

    public static S3Client s3(Optional<URI> endpoint) {
        var b = S3Client.builder().httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(e -> b.endpointOverride(e).forcePathStyle(true));
        return b.build();
    }

    public static DynamoDbClient dynamoDb(Optional<URI> endpoint) {
        var b = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        endpoint.ifPresent(b::endpointOverride);
        return b.build();
    }

    public static SecretsManagerClient secrets() {
        return SecretsManagerClient.builder().httpClient(UrlConnectionHttpClient.create()).build();
    }
}
