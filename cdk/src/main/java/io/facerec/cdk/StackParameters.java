package io.facerec.cdk;

import io.facerec.model.config.SettingsReader;
import io.facerec.model.frame.FrameKey;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

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
        int hotDays,
        String archiveStorageClass,
        int archiveScheduleMinutes,
        int expireAfterDays,
        int resultTtlDays,
        int logRetentionDays,
        int noFrameAlarmMinutes,
        int webhookCooldownSeconds,
        Optional<String> webhookUrl,
        Optional<String> alarmEmail,
        Optional<String> lambdaJar,
        Optional<String> archiverJar,
        int unknownTtlDays,
        Optional<String> appCameraIds) {

    public static final List<String> ARCHITECTURES = List.of("arm64", "x86_64");
    /** Archive classes and their minimum storage duration in days (an earlier delete is billed as if kept). */
    public static final Map<String, Integer> ARCHIVE_CLASSES = Map.of("GLACIER", 90, "DEEP_ARCHIVE", 180, "GLACIER_IR", 90);

    public boolean isDev() {
        return envName.equals("dev");
    }

    /** Reads every parameter through {@code context} (null when unset). */
    public static StackParameters from(Function<String, Object> context) {
        SettingsReader r = new SettingsReader(k -> {
            Object v = context.apply(k);
            return v == null ? null : v.toString();
        });
        String env = r.string("envName", "dev");
        if (!env.matches("[a-z][a-z0-9-]{0,19}")) {
            r.problem("envName must be 1-20 lower-case letters, digits or '-', starting with a letter, got '" + env + "'");
        }
        String arch = r.string("architecture", "arm64").toLowerCase(Locale.ROOT);
        if (!ARCHITECTURES.contains(arch)) {
            r.problem("architecture must be one of " + ARCHITECTURES + ", got '" + arch + "'");
        }
        int memory = r.integer("memoryMb", 2048, 512, 10240);
        int timeout = r.integer("timeoutSeconds", 30, 5, 900);
        int cameras = r.integer("cameraCount", 1, 1, 1000);
        // each camera sends at most a few frames a second, each taking well under a second: two
        // concurrent executions per camera absorb bursts and retries, with a floor for enrolments
        int reserved = r.integer("reservedConcurrency", Math.max(5, 2 * cameras), 1, 1000);
        int retries = r.integer("retryAttempts", 2, 0, 2);
        Optional<Double> threshold = r.optionalDecimal("threshold", -1, 1);
        if (r.has("archiveAfterDays")) {
            r.problem("archiveAfterDays is gone: frames are bundled by the archiver after hotDays (see README)");
        }
        int hot = r.integer("hotDays", 30, 1, 3650);
        String archiveClass = r.string("archiveStorageClass", "GLACIER").toUpperCase(Locale.ROOT);
        if (!ARCHIVE_CLASSES.containsKey(archiveClass)) {
            r.problem("archiveStorageClass must be one of " + new TreeSet<>(ARCHIVE_CLASSES.keySet()) + ", got '"
                    + archiveClass + "'");
        }
        int schedule = r.integer("archiveScheduleMinutes", 60, 5, 1440);
        int expire = r.integer("expireAfterDays", 365, 1, 36500);
        int minimum = ARCHIVE_CLASSES.getOrDefault(archiveClass, 0);
        if (expire - hot < minimum) {
            r.problem("expireAfterDays (" + expire + ") must be at least hotDays (" + hot + ") + " + minimum + ": "
                    + archiveClass + " bills at least " + minimum + " days for every bundle");
        }
        int ttl = r.integer("resultTtlDays", 30, 0, 3650);
        int logs = r.integer("logRetentionDays", 30, 1, 3653);
        int noFrame = r.integer("noFrameAlarmMinutes", 15, 5, 1440);
        int cooldown = r.integer("webhookCooldownSeconds", 30, 0, 86400);
        Optional<String> url = r.optional("webhookUrl");
        url.ifPresent(u -> {
            // the Bearer token travels with every delivery: only the local stack may use http
            if (!u.matches("https://[^\\s/]+(/\\S*)?")) {
                r.problem("webhookUrl must be an https URL");
            }
        });
        int unknownDays = r.integer("unknownTtlDays", 30, 1, 3650);
        Optional<String> email = r.optional("alarmEmail");
        email.ifPresent(e -> {
            if (!e.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                r.problem("alarmEmail must be an e-mail address, got '" + e + "'");
            }
        });
        // forwarder camera -> the app's own Camera id, sent as camera_id (the app takes it as a foreign key)
        Map<String, String> appCameras = r.pairs("appCameraIds");
        appCameras.keySet().stream().filter(c -> !FrameKey.CAMERA_ID.matcher(c).matches()).forEach(c -> r.problem(
                "appCameraIds: '" + c + "' is not a forwarder camera id (1-64 letters, digits, '.', '-' or '_')"));
        Optional<String> appCameraIds = appCameras.isEmpty() ? Optional.empty() : Optional.of(appCameras.entrySet()
                .stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        if (!r.problems().isEmpty()) {
            throw new IllegalArgumentException("invalid deployment parameters:\n  " + String.join("\n  ", r.problems()));
        }
        return new StackParameters(env, arch, memory, timeout, reserved, retries, cameras, threshold, hot, archiveClass,
                schedule, expire, ttl, logs, noFrame, cooldown, url, email, r.optional("lambdaJar"),
                r.optional("archiverJar"), unknownDays, appCameraIds);
    }
}
