package io.facerec.localstack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The page's "enrol" button for a cluster of unknown faces: it runs the same command a user runs
 * ({@code bin/unknown promote NUMBER NAME}, the recognizer's {@code UnknownCommand}) from the packaged
 * recognizer jar, against this stack's S3 and DynamoDB. The copies it makes under {@code enroll/}
 * raise S3 events, and the recognizer enrols them.
 */
public final class UnknownPromoter {
    static final String COMMAND = "io.facerec.recognizer.cli.UnknownCommand";
    private final Path jar;
    private final Map<String, String> env;

    /** What the command printed, and its exit status (0: promoted; 2: refused, with the reason). */
    public record Outcome(int exit, String output) {
    }

    public UnknownPromoter(Path jar, Map<String, String> env) {
        this.jar = jar;
        this.env = Map.copyOf(env);
    }

    public Outcome promote(long number, String name) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-XX:+UseSerialGC",
                "-Dlog4j2.configurationFile=classpath:log4j2-cli.xml", "-cp", jar.toString() + File.pathSeparator,
                COMMAND, "promote", Long.toString(number), name)).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Outcome(1, "the promotion did not finish within 60 s");
        }
        return new Outcome(p.exitValue(), new String(out, StandardCharsets.UTF_8).strip());
    }
}
