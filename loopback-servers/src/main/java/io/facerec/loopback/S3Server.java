package io.facerec.loopback;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/** An S3-compatible server (S3Proxy) on a loopback port, storing on disk or in memory. */
public final class S3Server implements AutoCloseable {
    public static final String ACCESS_KEY = "local-access";
    public static final String SECRET_KEY = "local-secret";
    private final S3Proxy proxy;
    private final URI endpoint;

    public S3Server(Path dir) throws Exception {
        this(dir, 0);
    }

    /** On {@code port} (0: any free one), storing under {@code dir} (null: in memory). */
    public S3Server(Path dir, int port) throws Exception {
        this(dir, port, java.util.function.UnaryOperator.identity());
    }

    /** As above, with the store wrapped (the local stack raises S3 events from it). */
    public S3Server(Path dir, int port, java.util.function.UnaryOperator<org.gaul.s3proxy.blobstore.BlobStore> wrap)
            throws Exception {
        Properties p = new Properties();
        String provider = "transient-nio2";
        if (dir != null) {
            p.setProperty("jclouds.filesystem.basedir", dir.toString());
            provider = "filesystem-nio2";
        }
        proxy = S3Proxy.builder()
                .blobStore(wrap.apply(BlobStores.create(provider, p)))
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        for (int i = 0; i < 100 && !proxy.getState().equals("STARTED"); i++) {
            Thread.sleep(20);
        }
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of this server; the interceptors (a call recorder) go on the product's clients only. */
    public S3Client client(ExecutionInterceptor... interceptors) {
        // whole-body signing: S3Proxy answers some aws-chunked (streaming-signed) PUTs before the client has
        // written the last chunk, which fails ~8% of them
        return S3Client.builder().endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
