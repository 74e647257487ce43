package io.facerec.cdk;

import io.facerec.model.config.SettingsReader;
import java.util.Optional;
import java.util.function.Function;

/**
 * The results API's deployment parameters, from CDK context: {@code appOrigin} (the Next.js app's
 * origin, the only one CORS allows; none means no browser may call it directly), {@code apiRateLimit}
 * and {@code apiBurstLimit} (requests per second and burst, for the whole API), {@code apiJar}.
 */
public record ResultsApiParameters(Optional<String> appOrigin, int rateLimit, int burstLimit, Optional<String> apiJar) {

    public static ResultsApiParameters from(Function<String, Object> context) {
        SettingsReader r = new SettingsReader(k -> {
            Object v = context.apply(k);
            return v == null ? null : v.toString();
        });
        Optional<String> origin = r.optional("appOrigin");
        origin.ifPresent(o -> {
            if (!o.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
                r.problem("appOrigin must be an origin like https://app.example.com (scheme, host, optional port; no path)");
            }
        });
        int rate = r.integer("apiRateLimit", 10, 1, 10_000);
        int burst = r.integer("apiBurstLimit", 20, 1, 5_000);
        if (!r.problems().isEmpty()) {
            throw new IllegalArgumentException("invalid deployment parameters:\n  " + String.join("\n  ", r.problems()));
        }
        return new ResultsApiParameters(origin, rate, burst, r.optional("apiJar"));
    }
}
