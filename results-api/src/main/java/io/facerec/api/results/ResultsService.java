package io.facerec.api.results;

import io.facerec.api.control.ControlService;
import io.facerec.api.http.ApiError;
import io.facerec.model.control.ControlState;
import io.facerec.model.webhook.WebhookPayload;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The read side of the old API's contract: /status, /results, /results/&lt;name&gt;, /latest and
 * /stats, in its field names. Lists are newest last, as the old API returned them.
 */
public final class ResultsService {
    private final ResultReader reader;
    private final ControlService control;

    public ResultsService(ResultReader reader, ControlService control) {
        this.reader = reader;
        this.control = control;
    }

    public Map<String, Object> status() {
        ControlState s = control.current();
        ResultReader.Stats st = reader.stats();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("active", s.active());
        out.put("encodings_loaded", st.gallerySamples() > 0);
        out.put("stream_url", control.streamUrl(s));
        out.put("total_results", st.faces());
        out.put("encodings_count", st.gallerySamples());
        out.put("threshold", control.threshold(s));
        return out;
    }

    public Map<String, Object> results(int limit) {
        List<WebhookPayload.Result> results = oldestFirst(reader.latestFaces(limit));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("results", results);
        out.put("total", Math.max(reader.stats().faces(), results.size()));
        return out;
    }

    /** A person's results; the name matches whatever its case (and Unicode form). */
    public Map<String, Object> resultsFor(String name, int limit) {
        ResultReader.Stats st = reader.stats();
        Set<String> labels = new LinkedHashSet<>();
        labels.add(name);
        long total = 0;
        String key = fold(name);
        for (Map.Entry<String, Long> e : st.perPerson().entrySet()) {
            if (fold(e.getKey()).equals(key)) {
                labels.add(e.getKey());
                total += e.getValue();
            }
        }
        List<WebhookPayload.Result> results = oldestFirst(reader.personFaces(labels, limit));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", name);
        out.put("results", results);
        out.put("total", Math.max(total, results.size()));
        out.put("returned", results.size());
        return out;
    }

    public WebhookPayload.Result latest() {
        List<ResultReader.Face> newest = reader.latestFaces(1);
        if (newest.isEmpty()) {
            throw new ApiError(404, "no results yet");
        }
        return newest.get(0).result();
    }

    public Map<String, Object> stats() {
        ResultReader.Stats st = reader.stats();
        List<ResultReader.Face> newest = st.faces() == 0 ? List.of() : reader.latestFaces(1);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total_detections", st.faces());
        out.put("recognized", st.perPerson());
        out.put("unknown_count", st.unknown());
        out.put("unique_persons", st.perPerson().size());
        out.put("last_detection", newest.isEmpty() ? null : newest.get(0).captureTime());
        return out;
    }

    private static List<WebhookPayload.Result> oldestFirst(List<ResultReader.Face> newestFirst) {
        List<WebhookPayload.Result> out = new ArrayList<>(newestFirst.size());
        for (ResultReader.Face f : newestFirst) {
            out.add(f.result());
        }
        Collections.reverse(out);
        return out;
    }

    /** Case- and form-insensitive key of a name: "JOSÉ", "josé" and "jose\u0301" agree. */
    static String fold(String name) {
        return Normalizer.normalize(name.strip(), Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }
}
