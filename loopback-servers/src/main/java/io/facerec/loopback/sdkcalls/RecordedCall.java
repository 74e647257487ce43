package io.facerec.loopback.sdkcalls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One line of a recording by {@link SdkCallRecorder}: which role made which call under which test, with
 * the settings that named its resources, the request's members and the outcome (HTTP status, AWS
 * error code and exception class; none on success).
 */
public record RecordedCall(String role, String source, Map<String, String> settings, String service, String operation,
                           JsonNode request, int status, String errorCode, String exception) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A request member as text, or null. */
    public String member(String name) {
        JsonNode v = request.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** The recordings of {@code role} in one module's recordings directory, sorted by name. */
    public static List<Path> files(Path directory, String role) throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(directory)) {
            return s.filter(p -> p.getFileName().toString().startsWith(role + "-")
                    && p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    public static List<RecordedCall> read(Path file) throws IOException {
        List<RecordedCall> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(parse(line));
            }
        }
        return out;
    }

    public static RecordedCall parse(String line) throws IOException {
        JsonNode n = JSON.readTree(line);
        Map<String, String> settings = new TreeMap<>();
        n.path("settings").properties().forEach(e -> settings.put(e.getKey(), e.getValue().asText()));
        JsonNode request = n.hasNonNull("request") ? n.get("request") : JsonNodeFactory.instance.objectNode();
        return new RecordedCall(n.path("role").asText(), n.path("source").asText(), settings, n.path("service").asText(),
                n.path("operation").asText(), request, n.path("status").asInt(), text(n, "errorCode"), text(n, "exception"));
    }

    private static String text(JsonNode n, String field) {
        return n.hasNonNull(field) ? n.get(field).asText() : null;
    }

    @Override
    public String toString() {
        return service + " " + operation + " " + request + (status == 0 || status / 100 == 2 ? "" : " -> " + status
                + (errorCode == null ? "" : " " + errorCode)) + " (" + role + ", " + source + ")";
    }
}
