package io.facerec.cdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The deployment's parameters, from CDK context ({@code cdk deploy -c key=value} or cdk.json),
 * checked before anything is built: a bad value stops the synth with every problem listed.
 */
public record StackParameters(
        String envName,
        String architecture,
        int memoryMb,
        int timeoutSeconds,
        int reservedConcurrency,
        int retryAttempts,
        int cameraCount,
        Optional<Double> threshold,
        int archiveAfterDays,
        int expireAfterDays,
        int resultTtlDays,
        int logRetentionDays,
        int noFrameAlarmMinutes,
        int webhookCooldownSeconds,
        Optional<String> webhookUrl,
        Optional<String> alarmEmail,
        Optional<String> lambdaJar) {

    public static final List<String> ARCHITECTURES = List.of("arm64", "x86_64");

    public boolean isDev() {
        return envName.equals("dev");
    }

    /** Reads every parameter through {@code context} (null when unset). */
    public static StackParameters from(Function<String, Object> context) {
        List<String> problems = new ArrayList<>();
        Reader r = new Reader(context, problems);
        String env = r.string("envName", "dev");
        if (!env.matches("[a-z][a-z0-9-]{0,19}")) {
            problems.add("envName must be 1-20 lower-case letters, digits or '-', starting with a letter; got '" + env + "'");
        }
        String arch = r.string("architecture", "arm64").toLowerCase(Locale.ROOT);
        if (!ARCHITECTURES.contains(arch)) {
            problems.add("architecture must be one of " + ARCHITECTURES + "; got '" + arch + "'");
        }
        int memory = r.integer("memoryMb", 2048, 512, 10240);
        int timeout = r.integer("timeoutSeconds", 30, 5, 900);
        int cameras = r.integer("cameraCount", 1, 1, 1000);
        // each camera sends at most a few frames a second, each taking well under a second: two
        // concurrent executions per camera absorb bursts and retries, with a floor for enrolments
        int reserved = r.integer("reservedConcurrency", Math.max(5, 2 * cameras), 1, 1000);
        int retries = r.integer("retryAttempts", 2, 0, 2);
        Optional<Double> threshold = r.decimal("threshold", -1, 1);
        int archive = r.integer("archiveAfterDays", 30, 1, 3650);
        int expire = r.integer("expireAfterDays", 365, 1, 36500);
        if (archive >= expire) {
            problems.add("archiveAfterDays (" + archive + ") must be less than expireAfterDays (" + expire
                    + "): frames cannot be archived after they expire");
        }
        int ttl = r.integer("resultTtlDays", 30, 0, 3650);
        int logs = r.integer("logRetentionDays", 30, 1, 3653);
        int noFrame = r.integer("noFrameAlarmMinutes", 15, 5, 1440);
        int cooldown = r.integer("webhookCooldownSeconds", 30, 0, 86400);
        Optional<String> url = r.optional("webhookUrl");
        url.ifPresent(u -> {
            if (!u.matches("https?://[^\\s/]+(/\\S*)?")) {
                problems.add("webhookUrl must be an http(s) URL");
            }
        });
        Optional<String> email = r.optional("alarmEmail");
        email.ifPresent(e -> {
            if (!e.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                problems.add("alarmEmail must be an e-mail address; got '" + e + "'");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid deployment parameters:\n  " + String.join("\n  ", problems));
        }
        return new StackParameters(env, arch, memory, timeout, reserved, retries, cameras, threshold, archive, expire,
                ttl, logs, noFrame, cooldown, url, email, r.optional("lambdaJar"));
    }

    private record Reader(Function<String, Object> context, List<String> problems) {
        Optional<String> optional(String key) {
            Object v = context.apply(key);
            return v == null || v.toString().isBlank() ? Optional.empty() : Optional.of(v.toString().strip());
        }

        String string(String key, String def) {
            return optional(key).orElse(def);
        }

        int integer(String key, int def, int min, int max) {
            Optional<String> v = optional(key);
            if (v.isEmpty()) {
                return def;
            }
            try {
                int i = Integer.parseInt(v.get());
                if (i < min || i > max) {
                    problems.add(key + " must be between " + min + " and " + max + "; got " + i);
                    return def;
                }
                return i;
            } catch (NumberFormatException e) {
                problems.add(key + " must be a whole number; got '" + v.get() + "'");
                return def;
            }
        }

        Optional<Double> decimal(String key, double min, double max) {
            Optional<String> v = optional(key);
            if (v.isEmpty()) {
                return Optional.empty();
            }
            try {
                double d = Double.parseDouble(v.get());
                if (!(d >= min && d <= max)) {
                    problems.add(key + " must be between " + min + " and " + max + "; got " + d);
                    return Optional.empty();
                }
                return Optional.of(d);
            } catch (NumberFormatException e) {
                problems.add(key + " must be a number; got '" + v.get() + "'");
                return Optional.empty();
            }
        }
    }
}
