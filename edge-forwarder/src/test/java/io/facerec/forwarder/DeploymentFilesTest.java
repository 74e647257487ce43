package io.facerec.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** What the launchers and the repository promise an edge box. */
class DeploymentFilesTest {
    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("bin/edge-forwarder"))) {
            p = p.getParent();
        }
        Assumptions.assumeTrue(p != null, "not run from inside the repository");
        return p;
    }

    /** The JVM's -X options a launcher file passes. */
    static Set<String> jvmFlags(Path file) throws IOException {
        Set<String> flags = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(-X[^\\s\"',\\\\]+)").matcher(Files.readString(file));
        while (m.find()) {
            flags.add(m.group(1));
        }
        return flags;
    }

    /** Allocates until the heap is gone, on a thread of its own, while main carries on. */
    public static final class HeapEater {
        public static void main(String[] args) throws Exception {
            Thread eater = new Thread(() -> {
                List<long[]> hoard = new ArrayList<>();
                while (true) {
                    hoard.add(new long[1 << 20]);
                }
            });
            eater.start();
            eater.join();
            System.out.println("the eater died and the process lives on");
            Thread.sleep(600_000);
        }
    }

    @Test
    void anOutOfMemoryErrorEndsTheProcessUnderEveryLauncher() throws Exception {
        Path root = root();
        // the distribution's launcher: bin/edge-forwarder, the systemd unit and the Dockerfile all run it
        for (Path launcher : List.of(root.resolve("edge-forwarder/src/dist/bin/edge-forwarder"))) {
            Set<String> flags = jvmFlags(launcher);
            assertTrue(flags.contains("-XX:+ExitOnOutOfMemoryError"), launcher + ": " + flags);
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            cmd.addAll(flags);
            cmd.addAll(List.of("-cp", Path.of(HeapEater.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString(), HeapEater.class.getName()));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readNBytes(4096));
            p.destroyForcibly();
            assertTrue(ended, launcher + ": the process outlived its OutOfMemoryError: " + out);
            assertEquals(3, p.exitValue(), out);
        }
    }

    @Test
    void dotEnvIsIgnoredByGit() throws Exception {
        Path root = root();
        Assumptions.assumeTrue(Files.exists(root.resolve(".git")), "not a git checkout");
        for (String f : List.of(".env", "edge-forwarder/.env")) {
            Process p = new ProcessBuilder("git", "check-ignore", "-q", f).directory(root.toFile()).start();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), f + " is not ignored by git");
        }
        Process p = new ProcessBuilder("git", "check-ignore", "-q", "edge-forwarder/.env.example").directory(root.toFile()).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue(), ".env.example stays tracked");
    }
}
