package io.facerec.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A status and a JSON body; every answer of the API is JSON, errors included ({@code {"error": ...}}). */
public record ApiResponse(int status, Object body, Map<String, String> headers) {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static ApiResponse ok(Object body) {
        return new ApiResponse(200, body, Map.of());
    }

    public static ApiResponse error(int status, String message) {
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("error", message);
        return new ApiResponse(status, b, status == 401 ? Map.of("www-authenticate", "Bearer") : Map.of());
    }

    public String bodyJson() {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public byte[] bodyBytes() {
        return bodyJson().getBytes(StandardCharsets.UTF_8);
    }
}
