package io.facerec.api.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import io.facerec.api.http.ApiRequest;
import io.facerec.api.http.ApiResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Lambda entry point behind the API Gateway HTTP API (payload format 2.0). Thin: the event
 * becomes an {@link ApiRequest}, {@link ResultsApi} answers, the answer becomes the event response.
 * Everything is built in the constructor, in the init phase that SnapStart keeps.
 */
public final class ResultsApiHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private final ResultsApi api;

    /** Used by Lambda. */
    public ResultsApiHandler() {
        this(ResultsApi.fromEnvironment());
    }

    public ResultsApiHandler(ResultsApi api) {
        this.api = api;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        ApiResponse r = api.handle(request(event, context));
        return response(r);
    }

    static ApiRequest request(APIGatewayV2HTTPEvent e, Context context) {
        String method = "GET";
        String requestId = context == null ? "-" : context.getAwsRequestId();
        if (e.getRequestContext() != null) {
            if (e.getRequestContext().getHttp() != null && e.getRequestContext().getHttp().getMethod() != null) {
                method = e.getRequestContext().getHttp().getMethod();
            }
            if (e.getRequestContext().getRequestId() != null) {
                requestId = e.getRequestContext().getRequestId();
            }
        }
        Map<String, String> headers = new HashMap<>();
        if (e.getHeaders() != null) {
            e.getHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v));
        }
        byte[] body = e.getBody() == null ? new byte[0]
                : e.getIsBase64Encoded() ? decode(e.getBody()) : e.getBody().getBytes(StandardCharsets.UTF_8);
        return new ApiRequest(method.toUpperCase(Locale.ROOT), e.getRawPath() == null ? "/" : e.getRawPath(),
                e.getQueryStringParameters() == null ? Map.of() : e.getQueryStringParameters(), headers, body, requestId);
    }

    static APIGatewayV2HTTPResponse response(ApiResponse r) {
        Map<String, String> headers = new HashMap<>(r.headers());
        headers.put("content-type", "application/json; charset=utf-8");
        headers.put("cache-control", "no-store");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(r.status()).withHeaders(headers)
                .withBody(r.bodyJson()).withIsBase64Encoded(false).build();
    }

    private static byte[] decode(String b64) {
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException ex) {
            return new byte[0];
        }
    }
}
