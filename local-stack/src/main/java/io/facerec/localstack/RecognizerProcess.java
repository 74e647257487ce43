package io.facerec.localstack;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The recognizer as Lambda runs it: the same packaged jar {@code cdk deploy} ships, started by the
 * official runtime interface client against {@link LambdaRuntimeApi}. Restarted if it exits, as
 * Lambda replaces a crashed execution environment.
 */
public final class RecognizerProcess implements AutoCloseable {
    private static final Logger LOG = LogManager.getLogger(RecognizerProcess.class);
    static final String HANDLER = "io.facerec.recognizer.handler.RecognizerHandler::handleRequest";

    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private volatile Process process;
    private volatile boolean running = true;
    private final Thread watcher;

    /** {@code extraClasspath} goes after the jar and the runtime client (the tests' call recorder). */
    public RecognizerProcess(Path jar, Path ricLib, List<Path> extraClasspath, Map<String, String> env, Path log)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("recognizer jar " + jar + " not found: build it with "
                    + "'mvn -q package -DskipTests -pl lambda-recognizer -am'");
        }
        List<String> cp = new ArrayList<>();
        cp.add(jar.toString());
        try (Stream<Path> libs = Files.list(ricLib)) {
            libs.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> cp.add(p.toString()));
        }
        extraClasspath.forEach(p -> cp.add(p.toString()));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.command = List.of(java, "-XX:+UseSerialGC", "--add-modules=jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-cp", String.join(File.pathSeparator, cp),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", HANDLER);
        this.env = env;
        this.log = log;
        Files.createDirectories(log.getParent());
        start();
        watcher = new Thread(this::watch, "recognizer-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void start() throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
    }

    private void watch() {
        while (running) {
            try {
                int code = process.waitFor();
                if (!running) {
                    return;
                }
                LOG.warn("recognizer process exited with {} (see {}); starting a new one", code, log);
                Thread.sleep(1000);
                start();
            } catch (InterruptedException e) {
                return;
            } catch (IOException e) {
                LOG.error("recognizer process could not be restarted: {}", e.toString());
                return;
            }
        }
    }

    /** Kills the process; the watcher starts a new one (after a timed-out invocation, as Lambda does). */
    public void restart() {
        LOG.warn("recognizer process restarted after a timed-out invocation");
        process.destroyForcibly();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        watcher.interrupt();
        Process p = process;
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }
}
