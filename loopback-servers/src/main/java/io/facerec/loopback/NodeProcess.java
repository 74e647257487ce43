package io.facerec.loopback;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A Node.js server from {@code servers/} (installed by the build), on a loopback port. */
public class NodeProcess implements AutoCloseable {
    private final Process process;
    private final List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());

    protected NodeProcess(List<String> args, Map<String, String> env) throws IOException {
        Path servers = serversDir();
        List<String> cmd = new ArrayList<>();
        cmd.add("node");
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(servers.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        process = pb.start();
        // the server must not outlive this JVM, however it ends
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-" + args.get(0)));
        // a thread of its own: the common pool has one thread on a 2-core machine, and this read never ends
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    output.add(line);
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, "node-output-" + args.get(0));
        reader.setDaemon(true);
        reader.start();
    }

    public static Path serversDir() {
        Path p = Path.of(System.getProperty("facerec.root", "..")).resolve("servers").toAbsolutePath().normalize();
        if (!Files.isDirectory(p.resolve("node_modules"))) {
            throw new IllegalStateException(p + "/node_modules missing: run the build (scripts/npm-install.sh servers)");
        }
        return p;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    protected String waitForLine(String prefix, long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            synchronized (output) {
                for (String l : output) {
                    if (l.startsWith(prefix)) {
                        return l;
                    }
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("process ended: " + output);
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("no '" + prefix + "' within " + timeoutMillis + " ms: " + output);
    }

    protected static void waitForPort(int port, long timeoutMillis) throws Exception {
        long end = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < end) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(30);
            }
        }
        throw new IllegalStateException("port " + port + " did not open within " + timeoutMillis + " ms");
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
