package io.facerec.loopback.sdkcalls;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** Stands for a product in its own JVM: a plain client, built with no interceptor of its own. */
final class ProductProcess {
    private ProductProcess() {
    }

    public static void main(String[] args) {
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(args[0])).forcePathStyle(true)
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local-access", "local-secret")))
                .build()) {
            String bucket = System.getenv("GALLERY_BUCKET");
            s3.putObject(b -> b.bucket(bucket).key("frames/cam/1.jpg"), RequestBody.fromString("x"));
            s3.getObjectAsBytes(b -> b.bucket(bucket).key("frames/cam/1.jpg"));
        }
    }
}
