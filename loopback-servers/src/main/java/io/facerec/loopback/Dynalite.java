package io.facerec.loopback;

import java.net.URI;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** dynalite, a DynamoDB-compatible server, in memory on a loopback port. */
public final class Dynalite extends NodeProcess {
    private final URI endpoint;

    private Dynalite(int port, java.nio.file.Path dataDir) throws Exception {
        super(args(port, dataDir), Map.of());
        try {
            waitForPort(port, 15_000);
        } catch (Exception e) {
            close();
            throw e;
        }
        endpoint = URI.create("http://127.0.0.1:" + port);
    }

    public static Dynalite start() throws Exception {
        return new Dynalite(freePort(), null);
    }

    /** On {@code port}, keeping its tables under {@code dataDir} (so a second start finds them). */
    public static Dynalite start(int port, java.nio.file.Path dataDir) throws Exception {
        return new Dynalite(port, dataDir);
    }

    private static List<String> args(int port, java.nio.file.Path dataDir) {
        List<String> a = new java.util.ArrayList<>(List.of("node_modules/dynalite/cli.js", "--port", Integer.toString(port),
                "--host", "127.0.0.1"));
        if (dataDir != null) {
            a.add("--path");
            a.add(dataDir.toAbsolutePath().toString());
        }
        return a;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client of this server; the interceptors (a call recorder) go on the product's clients only. */
    public DynamoDbClient client(ExecutionInterceptor... interceptors) {
        return DynamoDbClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }
}
