package io.facerec.model.config;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads named settings (environment variables, a {@code .env} file, CDK context) and collects every
 * problem instead of stopping at the first, so a start-up refuses a bad configuration with all of
 * it listed. A value that is out of range is reported and replaced by the default, so reading can
 * go on; {@link #finish()} throws once everything was read. Messages name the setting and, except
 * for URLs and secrets (they may carry tokens), the value.
 */
public final class SettingsReader {
    private final Function<String, String> source;
    private final List<String> problems = new ArrayList<>();

    public SettingsReader(Function<String, String> source) {
        this.source = source;
    }

    public static SettingsReader of(Map<String, String> values) {
        return new SettingsReader(values::get);
    }

    /** {@code env} over the {@code .env} lines: the environment wins, the file fills in what it lacks. */
    public static Map<String, String> overDotEnv(Map<String, String> env, List<String> dotEnvLines) {
        Map<String, String> merged = new HashMap<>(parseDotEnv(dotEnvLines));
        merged.putAll(env);
        return merged;
    }

    /** {@code NAME=value} lines; blank lines, {@code #} comments and a leading {@code export} are allowed. */
    public static Map<String, String> parseDotEnv(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring(7).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String v = line.substring(eq + 1).strip();
            if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
                v = v.substring(1, v.length() - 1);
            }
            out.put(line.substring(0, eq).strip(), v);
        }
        return out;
    }

    public boolean has(String name) {
        String v = source.apply(name);
        return v != null && !v.isBlank();
    }

    public Optional<String> optional(String name) {
        return has(name) ? Optional.of(source.apply(name).strip()) : Optional.empty();
    }

    public String string(String name, String def) {
        return optional(name).orElse(def);
    }

    public String required(String name) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            problems.add(name + " is required");
            return "";
        }
        return v.get();
    }

    public double decimal(String name, double def, double min, double max) {
        return optionalDecimal(name, min, max).orElse(def);
    }

    public Optional<Double> optionalDecimal(String name, double min, double max) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            double d = Double.parseDouble(v.get());
            if (!(d >= min && d <= max)) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + v.get());
                return Optional.empty();
            }
            return Optional.of(d);
        } catch (NumberFormatException e) {
            problems.add(name + " must be a number, got '" + v.get() + "'");
            return Optional.empty();
        }
    }

    public int integer(String name, int def, int min, int max) {
        return (int) whole(name, def, min, max);
    }

    public long whole(String name, long def, long min, long max) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return def;
        }
        try {
            long l = Long.parseLong(v.get());
            if (l < min || l > max) {
                problems.add(name + " must be between " + min + " and " + max + ", got " + l);
                return def;
            }
            return l;
        } catch (NumberFormatException e) {
            problems.add(name + " must be a whole number, got '" + v.get() + "'");
            return def;
        }
    }

    public boolean bool(String name, boolean def) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return def;
        }
        return switch (v.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes" -> true;
            case "false", "0", "no" -> false;
            default -> {
                problems.add(name + " must be true or false, got '" + v.get() + "'");
                yield def;
            }
        };
    }

    /** An http(s) URL with a host. The value is never quoted in the problem: it may carry a token. */
    public Optional<URI> url(String name) {
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            URI u = URI.create(v.get());
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return Optional.of(u);
        } catch (IllegalArgumentException e) {
            problems.add(name + " must be an http(s) URL with a host");
            return Optional.empty();
        }
    }

    /** {@code key=value,key=value}; values are not quoted in problems (they may be URLs with tokens). */
    public Map<String, String> pairs(String name) {
        Map<String, String> m = new LinkedHashMap<>();
        Optional<String> v = optional(name);
        if (v.isEmpty()) {
            return m;
        }
        for (String part : v.get().split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                problems.add(name + " must be key=value pairs separated by commas");
                return new LinkedHashMap<>();
            }
            m.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
        }
        return m;
    }

    /** Records a problem found by the caller's own checks. */
    public void problem(String message) {
        problems.add(message);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws {@link ConfigException} with every problem when there is any. */
    public void finish() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
