package io.facerec.api;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facerec.api.handler.ResultsApiHandler;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The handler as Lambda drives it: an API Gateway HTTP API event (payload 2.0, from the sample under
 * src/test/resources/events) read by the Lambda runtime's own serializer, and the response read back.
 */
public final class HandlerTransport implements ApiTransport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ResultsApiHandler handler;
    private int calls;

    public HandlerTransport(ResultsApiHandler handler) {
        this.handler = handler;
    }

    @Override
    public Answer send(String method, String pathAndQuery, String body, Map<String, String> headers) throws Exception {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
        ObjectNode e = (ObjectNode) JSON.readTree(new String(getClass().getResourceAsStream("/events/http-api-request.json")
                .readAllBytes(), StandardCharsets.UTF_8)
                .replace("${PATH}", path).replace("${QUERY}", query).replace("${METHOD}", method)
                .replace("${PROXY}", path.startsWith("/api/") ? path.substring(5) : path));
        if (!query.isEmpty()) {
            ObjectNode qs = e.putObject("queryStringParameters");
            for (String part : query.split("&")) {
                String[] kv = part.split("=", 2);
                qs.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        headers.forEach((k, v) -> ((ObjectNode) e.get("headers")).put(k.toLowerCase(java.util.Locale.ROOT), v));
        if (body != null) {
            // API Gateway base64-encodes bodies it does not take for text; both forms must work
            boolean b64 = calls++ % 2 == 0;
            e.put("body", b64 ? Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8)) : body);
            e.put("isBase64Encoded", b64);
        }
        APIGatewayV2HTTPEvent event = LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class,
                getClass().getClassLoader()).fromJson(new ByteArrayInputStream(JSON.writeValueAsBytes(e)));
        APIGatewayV2HTTPResponse r = handler.handleRequest(event, null);
        Map<String, String> h = new LinkedHashMap<>();
        new HashMap<>(r.getHeaders()).forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return new Answer(r.getStatusCode(), JSON.readTree(r.getBody()), h);
    }
}
