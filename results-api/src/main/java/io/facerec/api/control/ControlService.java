package io.facerec.api.control;

import io.facerec.api.http.ApiError;
import io.facerec.api.http.JsonBody;
import io.facerec.model.control.ControlState;
import io.facerec.model.frame.FrameKey;
import io.facerec.model.result.ResultKeys;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * POST /start, POST /stop and PUT /config: read-modify-write of the control record, retried when
 * another change got there first. Answers carry the old API's fields.
 */
public final class ControlService {
    static final int MAX_ATTEMPTS = 4;
    static final Set<String> STREAM_SCHEMES = Set.of("http", "https", "rtsp");

    private final ControlStore store;
    private final double defaultThreshold;
    private final String defaultStreamUrl;
    private final Clock clock;

    public ControlService(ControlStore store, double defaultThreshold, String defaultStreamUrl, Clock clock) {
        this.store = store;
        this.defaultThreshold = defaultThreshold;
        this.defaultStreamUrl = defaultStreamUrl;
        this.clock = clock;
    }

    public ControlState current() {
        return store.read();
    }

    public String streamUrl(ControlState s) {
        return s.streamUrl() != null ? s.streamUrl() : defaultStreamUrl;
    }

    public double threshold(ControlState s) {
        return s.threshold() != null ? s.threshold() : defaultThreshold;
    }

    public Map<String, Object> start() {
        return switchTo(true);
    }

    public Map<String, Object> stop() {
        return switchTo(false);
    }

    private Map<String, Object> switchTo(boolean active) {
        boolean[] changed = {false};
        ControlState s = update(cur -> {
            if (cur.active() == active) {
                return cur;
            }
            changed[0] = true;
            return cur.withActive(active, now());
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", active ? "started" : "stopped");
        out.put("message", active ? (changed[0] ? "Recognition started" : "Recognition was already running")
                : (changed[0] ? "Recognition stopped: frames are recorded but not analysed" : "Recognition was already stopped"));
        out.put("stream_url", streamUrl(s));
        return out;
    }

    /** {@code {stream_url?, threshold?, camera_id?}}; other fields the app sends (encoding_model) are ignored. */
    public Map<String, Object> configure(JsonBody body) {
        Optional<String> url = body.string("stream_url", 2048).map(String::strip);
        Optional<Double> threshold = body.number("threshold");
        Optional<String> camera = body.string("camera_id", 64).map(String::strip);
        url.ifPresent(ControlService::checkStreamUrl);
        threshold.ifPresent(t -> {
            if (t < 0 || t > 1) {
                throw ApiError.badRequest("threshold must be a number between 0 and 1, in the gallery's metric: a "
                        + "Euclidean distance for a dlib gallery (the old app's 0.6; lower is stricter), a cosine "
                        + "similarity otherwise (higher is stricter)");
            }
        });
        camera.ifPresent(c -> {
            if (!FrameKey.CAMERA_ID.matcher(c).matches()) {
                throw ApiError.badRequest("camera_id must be 1-64 letters, digits, '.', '-' or '_'");
            }
        });
        ControlState s = update(cur -> {
            String nextUrl = url.orElse(cur.streamUrl());
            if (url.isPresent() && cur.active() && !Objects.equals(url.get(), streamUrl(cur))) {
                throw ApiError.badRequest("cannot change stream_url while recognition is active: POST /api/stop first");
            }
            Double nextThreshold = threshold.isPresent() ? threshold.get() : cur.threshold();
            String nextCamera = camera.isPresent() ? camera.get() : cur.cameraId();
            if (Objects.equals(nextUrl, cur.streamUrl()) && Objects.equals(nextThreshold, cur.threshold())
                    && Objects.equals(nextCamera, cur.cameraId())) {
                return cur;
            }
            return cur.withConfig(nextThreshold, nextUrl, nextCamera, now());
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stream_url", streamUrl(s));
        out.put("threshold", threshold(s));
        return out;
    }

    private ControlState update(UnaryOperator<ControlState> change) {
        for (int attempt = 1; ; attempt++) {
            ControlState cur = store.read();
            ControlState next = change.apply(cur);
            if (next == cur) {
                return cur;
            }
            try {
                store.write(next);
                return next;
            } catch (ControlStore.ConflictException e) {
                if (attempt >= MAX_ATTEMPTS) {
                    throw new ApiError(409, "the control record kept changing under this request: try again");
                }
            }
        }
    }

    static void checkStreamUrl(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!STREAM_SCHEMES.contains(scheme) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
        } catch (Exception e) {
            throw ApiError.badRequest("stream_url must be an http(s) or rtsp URL with a host");
        }
    }

    private String now() {
        return ResultKeys.time(clock.instant());
    }
}
