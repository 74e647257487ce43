package io.facerec.localstack;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.facerec.api.handler.ResultsApiHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;

/**
 * The results API at http://127.0.0.1:API_PORT/api, where the Next.js app looks by default: each
 * request becomes the API Gateway HTTP API event (payload 2.0) the Lambda receives on AWS, and the
 * same handler answers. Bound to loopback and without a key, as the old API was. The browser calls
 * it from the app's origin, so CORS is answered here for the origins in {@code API_CORS_ORIGINS}
 * (on AWS, API Gateway does it for the app's origin).
 */
public final class LocalResultsApi implements AutoCloseable {
    static final int MAX_BODY = 10 * 1024 * 1024;
    private final HttpServer server;
    private final ResultsApiHandler handler;
    private final Set<String> origins;

    public LocalResultsApi(int port, ResultsApiHandler handler, Set<String> origins) throws IOException {
        this.handler = handler;
        this.origins = Set.copyOf(origins);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.createContext("/", this::serve);
        server.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "results-api");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String url() {
        return "http://127.0.0.1:" + port() + "/api";
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String origin = ex.getRequestHeaders().getFirst("Origin");
            if (origin != null && origins.contains(origin)) {
                ex.getResponseHeaders().add("Access-Control-Allow-Origin", origin);
                ex.getResponseHeaders().add("Vary", "Origin");
            }
            if (ex.getRequestMethod().equalsIgnoreCase("OPTIONS")) {
                if (origin != null && origins.contains(origin)) {
                    ex.getResponseHeaders().add("Access-Control-Allow-Methods", "GET, POST, PUT, OPTIONS");
                    ex.getResponseHeaders().add("Access-Control-Allow-Headers", "Content-Type, Authorization");
                    ex.getResponseHeaders().add("Access-Control-Max-Age", "600");
                }
                ex.sendResponseHeaders(204, -1);
                return;
            }
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readNBytes(MAX_BODY + 1);
            }
            if (body.length > MAX_BODY) {
                send(ex, 413, "{\"error\":\"body larger than " + MAX_BODY + " bytes\"}", Map.of());
                return;
            }
            APIGatewayV2HTTPResponse r = handler.handleRequest(event(ex, body), null);
            send(ex, r.getStatusCode(), r.getBody(), r.getHeaders());
        }
    }

    /** The request as API Gateway hands it to the function. */
    static APIGatewayV2HTTPEvent event(HttpExchange ex, byte[] body) {
        Map<String, String> headers = new HashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        String rawQuery = ex.getRequestURI().getRawQuery();
        Map<String, String> query = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String part : rawQuery.split("&")) {
                String[] kv = part.split("=", 2);
                String k = decode(kv[0]);
                String v = kv.length > 1 ? decode(kv[1]) : "";
                query.merge(k, v, (a, b) -> a + "," + b); // API Gateway joins repeats with commas
            }
        }
        String id = UUID.randomUUID().toString();
        return APIGatewayV2HTTPEvent.builder().withVersion("2.0").withRouteKey("ANY /api/{proxy+}")
                .withRawPath(ex.getRequestURI().getRawPath()).withRawQueryString(rawQuery == null ? "" : rawQuery)
                .withHeaders(headers).withQueryStringParameters(query.isEmpty() ? null : query)
                .withBody(body.length == 0 ? null : Base64.getEncoder().encodeToString(body)).withIsBase64Encoded(body.length > 0)
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId(id).withStage("$default")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod(ex.getRequestMethod())
                                .withPath(ex.getRequestURI().getRawPath()).withProtocol(ex.getProtocol())
                                .withSourceIp(ex.getRemoteAddress().getAddress().getHostAddress()).build())
                        .build())
                .build();
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static void send(HttpExchange ex, int status, String body, Map<String, String> headers) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (headers != null) {
            headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        }
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
    }

    /** {@code API_CORS_ORIGINS}: comma-separated origins; by default a Next.js dev server's. */
    static Set<String> origins(String setting) {
        String v = setting == null || setting.isBlank() ? "http://localhost:3000,http://127.0.0.1:3000" : setting;
        return Set.copyOf(List.of(v.split("\\s*,\\s*")));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
