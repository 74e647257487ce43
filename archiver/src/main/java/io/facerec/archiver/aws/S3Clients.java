package io.facerec.archiver.aws;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The one place the archiver and {@code bin/archive} build their S3 client; everything else takes
 * the client through its constructor, so tests can hand in their own (S3Proxy, a recording one).
 */
public final class S3Clients {
    private S3Clients() {
    }

    /**
     * The JDK's HTTP client keeps at most {@code http.maxConnections} (default 5) idle connections per
     * host; with more parallel reads than that, every extra read would pay a new TLS handshake.
     */
    public static S3Client create(Optional<URI> endpoint, int parallelReads) {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(Math.max(5, parallelReads + 2)));
        }
        var b = S3Client.builder().httpClient(UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5)).socketTimeout(Duration.ofSeconds(60)).build());
        endpoint.ifPresent(e -> b.endpointOverride(e).forcePathStyle(true));
        return b.build();
    }
}
