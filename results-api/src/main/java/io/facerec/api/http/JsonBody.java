package io.facerec.api.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/** A request body that must be a JSON object, with typed, checked access to its fields. */
public final class JsonBody {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final ObjectNode node;

    private JsonBody(ObjectNode node) {
        this.node = node;
    }

    /** An empty body reads as {} when {@code emptyAllowed}; anything but a JSON object is a 400. */
    public static JsonBody parse(byte[] body, boolean emptyAllowed) {
        if (body.length == 0 || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            if (emptyAllowed) {
                return new JsonBody(JSON.createObjectNode());
            }
            throw ApiError.badRequest("body must be a JSON object");
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("malformed JSON: " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiError.badRequest("malformed JSON");
        }
        if (!(n instanceof ObjectNode o)) {
            throw ApiError.badRequest("body must be a JSON object");
        }
        return new JsonBody(o);
    }

    public boolean has(String field) {
        return node.has(field) && !node.get(field).isNull();
    }

    public Optional<String> string(String field, int maxLength) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode v = node.get(field);
        if (!v.isTextual()) {
            throw ApiError.badRequest(field + " must be a string");
        }
        if (v.asText().length() > maxLength) {
            throw ApiError.badRequest(field + " must be at most " + maxLength + " characters");
        }
        return Optional.of(v.asText());
    }

    public Optional<Double> number(String field) {
        if (!has(field)) {
            return Optional.empty();
        }
        JsonNode v = node.get(field);
        if (!v.isNumber() || !Double.isFinite(v.asDouble())) {
            throw ApiError.badRequest(field + " must be a number");
        }
        return Optional.of(v.asDouble());
    }

    public Optional<JsonNode> raw(String field) {
        return has(field) ? Optional.of(node.get(field)) : Optional.empty();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        return s.lines().findFirst().orElse(s);
    }
}
