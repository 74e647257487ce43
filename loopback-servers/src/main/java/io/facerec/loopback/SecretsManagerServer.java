package io.facerec.loopback;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The part of Secrets Manager the recognizer uses, GetSecretValue, over its real JSON protocol on a
 * loopback port. Secrets get ARNs as AWS makes them ({@code ...:secret:<name>-<6 characters>}) and are
 * found by ARN or by name; anything else is answered as AWS answers it: ResourceNotFoundException.
 */
public final class SecretsManagerServer implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SUFFIX_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private final HttpServer server;
    private final Map<String, String> valueByArn = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private SecretsManagerServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public static SecretsManagerServer start() throws IOException {
        return new SecretsManagerServer();
    }

    /** Stores a secret and returns its ARN. */
    public String create(String name, String value) {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append(SUFFIX_CHARS.charAt(random.nextInt(SUFFIX_CHARS.length())));
        }
        String arn = "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:" + name + "-" + suffix;
        valueByArn.put(arn, value);
        return arn;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A client of this server; the interceptors (a call recorder) go on the product's clients only. */
    public SecretsManagerClient client(ExecutionInterceptor... interceptors) {
        return SecretsManagerClient.builder().endpointOverride(endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .overrideConfiguration(c -> c.executionInterceptors(List.of(interceptors)))
                .httpClient(UrlConnectionHttpClient.create()).build();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String target = x.getRequestHeaders().getFirst("X-Amz-Target");
            JsonNode body = JSON.readTree(x.getRequestBody().readAllBytes());
            if (!"secretsmanager.GetSecretValue".equals(target)) {
                error(x, "UnknownOperationException", "operation " + target + " is not served here");
                return;
            }
            String id = body.path("SecretId").asText("");
            String arn = valueByArn.keySet().stream()
                    .filter(a -> a.equals(id) || a.substring(0, a.length() - 7).endsWith(":secret:" + id)).findFirst().orElse(null);
            if (arn == null) {
                error(x, "ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
                return;
            }
            ObjectNode out = JSON.createObjectNode();
            out.put("ARN", arn);
            out.put("Name", arn.substring(arn.indexOf(":secret:") + 8, arn.length() - 7));
            out.put("VersionId", "00000000-0000-0000-0000-000000000001");
            out.put("SecretString", valueByArn.get(arn));
            out.putArray("VersionStages").add("AWSCURRENT");
            out.put("CreatedDate", 1.7e9);
            send(x, 200, out);
        }
    }

    private static void error(HttpExchange x, String type, String message) throws IOException {
        ObjectNode out = JSON.createObjectNode();
        out.put("__type", type);
        out.put("Message", message);
        send(x, 400, out);
    }

    private static void send(HttpExchange x, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
