package io.facerec.loopback.sdkcalls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkField;
import software.amazon.awssdk.core.SdkPojo;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.util.SdkAutoConstructList;
import software.amazon.awssdk.core.util.SdkAutoConstructMap;

/**
 * Records every AWS SDK call a product client makes, one JSON line per distinct call: the role, the
 * test it ran under, the settings that name its resources, service, operation, request members and
 * outcome. The IAM contract (cdk tests) turns these into the permissions the code needs.
 *
 * <p>Only the product's clients carry it: tests give the product a client of its own built with
 * {@link #forTest}, and keep their fixture clients unrecorded. A product in another process (the
 * recognizer under the Lambda runtime interface client) gets it through the SDK's global interceptor
 * file on an extra classpath entry, {@link #forProcess}; then the no-argument constructor reads where
 * to write from the environment.
 *
 * <p>Bodies, map values (DynamoDB items, metadata) and members that may hold secrets are never
 * recorded: a map is recorded as its keys.
 */
public final class SdkCallRecorder implements ExecutionInterceptor {
    /** The recorded request member holding a DynamoDB item call's partition key value. */
    public static final String LEADING_KEY = "LeadingKey";
    static final String FILE_ENV = "FACEREC_SDK_CALLS_FILE";
    static final String ROLE_ENV = "FACEREC_SDK_CALLS_ROLE";
    static final String SOURCE_ENV = "FACEREC_SDK_CALLS_SOURCE";
    static final String SETTINGS_ENV = "FACEREC_SDK_CALLS_SETTINGS";
    /** Where the SDK looks for interceptors of every client it builds. */
    static final String GLOBAL_INTERCEPTORS = "software/amazon/awssdk/global/handlers/execution.interceptors";
    private static final String PACKAGE_PATH = SdkCallRecorder.class.getPackageName().replace('.', '/') + "/";
    private static final Pattern SECRET_MEMBER = Pattern.compile("(?i).*(customerkey|secretstring|secretbinary|password|token).*");
    private static final Map<Path, Sink> SINKS = new ConcurrentHashMap<>();

    private final Sink sink;
    private final String role;
    private final String source;
    private final Map<String, String> settings;

    /** The global interceptor: configured by the environment {@link #forProcess} prepared; inert without it. */
    public SdkCallRecorder() {
        String file = System.getenv(FILE_ENV);
        this.sink = file == null || file.isBlank() ? null : sink(Path.of(file));
        this.role = System.getenv().getOrDefault(ROLE_ENV, "unknown");
        this.source = System.getenv().getOrDefault(SOURCE_ENV, "unknown");
        List<String> names = List.of(System.getenv().getOrDefault(SETTINGS_ENV, "").split(","));
        this.settings = settingsOf(names, System.getenv());
    }

    private SdkCallRecorder(Path file, ProductRole role, String source, Map<String, String> env) {
        this.sink = sink(file);
        this.role = role.id();
        this.source = source;
        this.settings = settingsOf(role.settings(), env);
    }

    /**
     * A recorder for the product clients of one test class, writing {@code <role>-<Test>.jsonl} in this
     * module's {@code target/sdk-calls/}; the file starts empty in each test run. {@code env} is the
     * configuration the test gave the product.
     */
    public static SdkCallRecorder forTest(ProductRole role, Class<?> test, Map<String, String> env) {
        return new SdkCallRecorder(file(role, test), role, test.getSimpleName(), env);
    }

    /** The extra classpath entry and environment that make a product process record its calls. */
    public record ProcessRecording(Path classpathEntry, Map<String, String> environment) {
    }

    /**
     * Prepares a recording of a product that runs in its own JVM: a classpath entry holding this class
     * and the SDK's global interceptor file naming it, created under {@code workDir}, and the
     * environment that tells it where to write. The product's own jar is left as it is.
     */
    public static ProcessRecording forProcess(ProductRole role, Class<?> test, Path workDir) {
        Path file = file(role, test);
        try {
            Path entry = Files.createDirectories(workDir.resolve("sdk-call-recorder"));
            copyThisPackage(entry);
            Path service = entry.resolve(GLOBAL_INTERCEPTORS);
            Files.createDirectories(service.getParent());
            Files.writeString(service, SdkCallRecorder.class.getName() + "\n");
            Map<String, String> env = new LinkedHashMap<>();
            env.put(FILE_ENV, file.toAbsolutePath().toString());
            env.put(ROLE_ENV, role.id());
            env.put(SOURCE_ENV, test.getSimpleName());
            env.put(SETTINGS_ENV, String.join(",", role.settings()));
            return new ProcessRecording(entry, env);
        } catch (IOException e) {
            throw new UncheckedIOException("preparing the SDK call recorder under " + workDir, e);
        }
    }

    /** This module's recordings directory, as the cdk contract expects it: {@code <module>/target/sdk-calls}. */
    public static Path directory() {
        String dir = System.getProperty("facerec.sdkcalls.dir");
        if (dir != null) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "sdk-calls");
    }

    /** The file for (role, test), emptied the first time this JVM asks for it: each test run starts afresh. */
    private static Path file(ProductRole role, Class<?> test) {
        Path file = directory().resolve(role.id() + "-" + test.getSimpleName() + ".jsonl").toAbsolutePath();
        SINKS.computeIfAbsent(file, f -> {
            try {
                Files.deleteIfExists(f);
            } catch (IOException e) {
                throw new UncheckedIOException("emptying " + f, e);
            }
            return new Sink(f);
        });
        return file;
    }

    private static Sink sink(Path file) {
        return SINKS.computeIfAbsent(file.toAbsolutePath(), Sink::new);
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        record(context.request(), attributes, context.httpResponse().statusCode(), null, null);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable t = context.exception();
        int status = t instanceof SdkServiceException s ? s.statusCode()
                : context.httpResponse().map(r -> r.statusCode()).orElse(0);
        String code = t instanceof AwsServiceException a && a.awsErrorDetails() != null ? a.awsErrorDetails().errorCode() : null;
        record(context.request(), attributes, status, code, t.getClass().getSimpleName());
    }

    private void record(Object request, ExecutionAttributes attributes, int status, String errorCode, String exception) {
        if (sink == null) {
            return;
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("role", role);
        line.put("source", source);
        line.put("settings", settings);
        line.put("service", attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME));
        line.put("operation", attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
        Map<String, Object> members = request instanceof SdkPojo p ? members(p) : Map.of();
        String leadingKey = leadingKey(request);
        if (leadingKey != null) {
            members = new TreeMap<>(members);
            members.put(LEADING_KEY, leadingKey);
        }
        line.put("request", members);
        line.put("status", status);
        line.put("errorCode", errorCode);
        line.put("exception", exception);
        StringBuilder b = new StringBuilder();
        json(b, line);
        sink.write(b.toString());
    }

    /**
     * A DynamoDB call's partition key value ({@code ResultKeys.PK} of a single-item call, the value a
     * query's key condition sets its partition key to; not a secret), recorded as the member
     * {@value #LEADING_KEY}: IAM checks it as {@code dynamodb:LeadingKeys}.
     */
    static String leadingKey(Object request) {
        if (request instanceof software.amazon.awssdk.services.dynamodb.model.QueryRequest q) {
            java.util.regex.Matcher m = QUERY_PARTITION.matcher(q.keyConditionExpression() == null ? "" : q.keyConditionExpression());
            var v = m.find() ? q.expressionAttributeValues().get(m.group(1)) : null;
            return v == null ? null : v.s();
        }
        java.util.Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key = switch (request) {
            case software.amazon.awssdk.services.dynamodb.model.GetItemRequest r -> r.key();
            case software.amazon.awssdk.services.dynamodb.model.PutItemRequest r -> r.item();
            case software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest r -> r.key();
            case software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest r -> r.key();
            case null, default -> null;
        };
        var v = key == null ? null : key.get(io.facerec.model.result.ResultKeys.PK);
        return v == null ? null : v.s();
    }

    /** The partition key's equality, which a key condition expression states first. */
    private static final Pattern QUERY_PARTITION = Pattern.compile("^\\s*#?\\w+\\s*=\\s*(:\\w+)");

    static Map<String, String> settingsOf(Collection<String> names, Map<String, String> env) {
        Map<String, String> out = new TreeMap<>();
        for (String n : names) {
            if (!n.isBlank() && env.get(n) != null) {
                out.put(n, env.get(n));
            }
        }
        return out;
    }

    /** The request's members: scalars as they are, structures member by member, maps as their keys. */
    static Map<String, Object> members(SdkPojo pojo) {
        Map<String, Object> out = new TreeMap<>();
        for (SdkField<?> f : pojo.sdkFields()) {
            if (SECRET_MEMBER.matcher(f.memberName()).matches()) {
                continue;
            }
            Object v = plain(f.getValueOrDefault(pojo));
            if (v != null) {
                out.put(f.memberName(), v);
            }
        }
        return out;
    }

    private static Object plain(Object v) {
        if (v == null || v instanceof SdkAutoConstructList<?> || v instanceof SdkAutoConstructMap<?, ?>) {
            return null; // members the caller never set
        }
        if (v instanceof SdkPojo p) {
            return members(p);
        }
        if (v instanceof Map<?, ?> m) {
            return m.keySet().stream().map(String::valueOf).sorted().toList();
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>();
            for (Object o : c) {
                Object p = plain(o);
                if (p != null) {
                    out.add(p);
                }
            }
            return out;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v;
        }
        if (v instanceof software.amazon.awssdk.core.SdkBytes || v instanceof ByteBuffer || v instanceof InputStream) {
            return null;
        }
        return v.toString();
    }

    static void json(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                json(b, String.valueOf(e.getKey()));
                b.append(':');
                json(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof Collection<?> c) {
            b.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                json(b, o);
            }
            b.append(']');
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else {
            b.append('"');
            for (char ch : v.toString().toCharArray()) {
                switch (ch) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (ch < 0x20) {
                            b.append(String.format("\\u%04x", (int) ch));
                        } else {
                            b.append(ch);
                        }
                    }
                }
            }
            b.append('"');
        }
    }

    /** The classes of this package, from this module's jar or classes directory, into {@code entry}. */
    private static void copyThisPackage(Path entry) throws IOException {
        Path from;
        try {
            from = Path.of(SdkCallRecorder.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        Path to = Files.createDirectories(entry.resolve(PACKAGE_PATH));
        if (Files.isDirectory(from)) {
            try (Stream<Path> files = Files.list(from.resolve(PACKAGE_PATH))) {
                for (Path p : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                    Files.copy(p, to.resolve(p.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return;
        }
        try (ZipFile jar = new ZipFile(from.toFile())) {
            Enumeration<? extends ZipEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (name.startsWith(PACKAGE_PATH) && name.endsWith(".class") && name.indexOf('/', PACKAGE_PATH.length()) < 0) {
                    try (InputStream in = jar.getInputStream(e)) {
                        Files.copy(in, to.resolve(name.substring(PACKAGE_PATH.length())), StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    /** One recording file, appended to; each distinct line is written once per JVM. */
    private static final class Sink {
        private final Path file;
        private final Set<String> written = new HashSet<>();
        private FileChannel channel;

        Sink(Path file) {
            this.file = file;
        }

        synchronized void write(String line) {
            if (!written.add(line)) {
                return;
            }
            try {
                if (channel == null) {
                    Files.createDirectories(file.getParent());
                    channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                            StandardOpenOption.APPEND);
                }
                channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("recording an SDK call to " + file, e);
            }
        }
    }
}
