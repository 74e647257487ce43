package io.facerec.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks answers against {@code openapi.yaml}: the path and method must be declared, the status
 * among that operation's responses, and the body valid against the response's schema. The schema
 * checker knows the keywords the document uses and refuses any other, so the document cannot say
 * something this check silently skips.
 */
public final class OpenApiContract {
    static final Set<String> KEYWORDS = Set.of("type", "required", "properties", "additionalProperties", "items", "enum",
            "minimum", "maximum", "minItems", "maxItems", "anyOf", "$ref", "description");
    private final JsonNode doc;

    private OpenApiContract(JsonNode doc) {
        this.doc = doc;
    }

    public static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream("/openapi.yaml")) {
            return new OpenApiContract(new ObjectMapper(new YAMLFactory()).readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public JsonNode document() {
        return doc;
    }

    /** Throws AssertionError with every problem when the answer breaks the contract. */
    public void check(String method, String path, int status, JsonNode body) {
        String template = template(path);
        JsonNode op = doc.at("/paths").get(template).get(method.toLowerCase(Locale.ROOT));
        if (op == null) {
            throw new AssertionError(method + " " + template + " is not in openapi.yaml");
        }
        JsonNode response = op.at("/responses").get(Integer.toString(status));
        if (response == null) {
            throw new AssertionError(method + " " + template + " answered " + status + ", which openapi.yaml does not declare");
        }
        response = resolve(response);
        JsonNode schema = response.at("/content/application~1json/schema");
        List<String> problems = new ArrayList<>();
        validate(schema, body, "$", problems);
        if (!problems.isEmpty()) {
            throw new AssertionError(method + " " + path + " " + status + " breaks openapi.yaml: " + problems + " in " + body);
        }
    }

    /** The declared path a concrete one matches (without the /api prefix). */
    String template(String path) {
        String p = path.startsWith("/api/") ? path.substring(4) : path;
        int q = p.indexOf('?');
        if (q >= 0) {
            p = p.substring(0, q);
        }
        String[] want = p.split("/", -1);
        for (Iterator<String> it = doc.get("paths").fieldNames(); it.hasNext(); ) {
            String t = it.next();
            String[] have = t.split("/", -1);
            if (have.length != want.length) {
                continue;
            }
            boolean ok = true;
            for (int i = 0; i < have.length && ok; i++) {
                ok = have[i].startsWith("{") || have[i].equals(want[i]);
            }
            if (ok) {
                return t;
            }
        }
        throw new AssertionError(path + " matches no path of openapi.yaml");
    }

    private JsonNode resolve(JsonNode n) {
        while (n.has("$ref")) {
            String ref = n.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new AssertionError("only local $ref is supported: " + ref);
            }
            n = doc.at(ref.substring(1));
            if (n.isMissingNode()) {
                throw new AssertionError("dangling $ref " + ref);
            }
        }
        return n;
    }

    void validate(JsonNode schema, JsonNode v, String at, List<String> problems) {
        schema = resolve(schema);
        for (Iterator<String> it = schema.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYWORDS.contains(k)) {
                throw new AssertionError("openapi.yaml uses '" + k + "', which this check does not know");
            }
        }
        if (schema.has("anyOf")) {
            for (JsonNode alt : schema.get("anyOf")) {
                List<String> p = new ArrayList<>();
                validate(alt, v, at, p);
                if (p.isEmpty()) {
                    return;
                }
            }
            problems.add(at + ": matches none of anyOf");
            return;
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), v)) {
            problems.add(at + ": expected " + schema.get("type") + ", got " + v.getNodeType());
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode e : schema.get("enum")) {
                found |= e.equals(v);
            }
            if (!found) {
                problems.add(at + ": " + v + " not in " + schema.get("enum"));
            }
        }
        if (v.isNumber()) {
            if (schema.has("minimum") && v.asDouble() < schema.get("minimum").asDouble()) {
                problems.add(at + ": below minimum");
            }
            if (schema.has("maximum") && v.asDouble() > schema.get("maximum").asDouble()) {
                problems.add(at + ": above maximum");
            }
        }
        if (v.isArray()) {
            if (schema.has("minItems") && v.size() < schema.get("minItems").asInt()) {
                problems.add(at + ": fewer than minItems");
            }
            if (schema.has("maxItems") && v.size() > schema.get("maxItems").asInt()) {
                problems.add(at + ": more than maxItems");
            }
            if (schema.has("items")) {
                for (int i = 0; i < v.size(); i++) {
                    validate(schema.get("items"), v.get(i), at + "[" + i + "]", problems);
                }
            }
        }
        if (v.isObject()) {
            if (schema.has("required")) {
                for (JsonNode r : schema.get("required")) {
                    if (!v.has(r.asText())) {
                        problems.add(at + ": missing required '" + r.asText() + "'");
                    }
                }
            }
            JsonNode props = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (props != null && props.has(f.getKey())) {
                    validate(props.get(f.getKey()), f.getValue(), at + "." + f.getKey(), problems);
                } else if (additional != null && additional.isBoolean() && !additional.asBoolean()) {
                    problems.add(at + ": unexpected property '" + f.getKey() + "'");
                } else if (additional != null && additional.isObject()) {
                    validate(additional, f.getValue(), at + "." + f.getKey(), problems);
                }
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode v) {
        if (type.isArray()) {
            for (JsonNode t : type) {
                if (typeMatches(t, v)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            case "null" -> v.isNull();
            default -> throw new AssertionError("unknown type " + type);
        };
    }
}
