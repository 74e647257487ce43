package io.facerec.recognizer.testing;

import io.facerec.recognizer.image.RgbImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * dlib 19.24's own face chip cutter (src/test/cpp/dlib_face_chip.cpp), compiled against Debian's
 * libdlib-dev on first use. Installs libdlib-dev with scripts/install-dlib-reference.sh where it can
 * (root with apt-get); elsewhere the calling test is skipped with the reason printed.
 */
public final class DlibReference {
    private static Path binary;

    /**
     * dlib's chip for a 5-point shape (whole pixels), the chip_details it printed, and the
     * descriptor dlib's network computed from that chip when weights were given (else null).
     */
    public record Chip(RgbImage image, double[] details, float[] descriptor) {
    }

    private DlibReference() {
    }

    public static synchronized Path binary() throws IOException, InterruptedException {
        if (binary != null) {
            return binary;
        }
        Path root = Path.of(System.getProperty("facerec.root", "..")).toAbsolutePath().normalize();
        Path source = root.resolve("lambda-recognizer/src/test/cpp/dlib_face_chip.cpp");
        Path install = root.resolve("scripts/install-dlib-reference.sh");
        Result installed = run(List.of("bash", install.toString()), 600);
        if (installed.code != 0) {
            String reason = "dlib reference unavailable (" + installed.output.strip() + "): skipping";
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
        Path out = root.resolve("lambda-recognizer/target/dlib-reference/dlib_face_chip");
        if (!Files.isExecutable(out) || Files.getLastModifiedTime(out).compareTo(Files.getLastModifiedTime(source)) < 0) {
            Files.createDirectories(out.getParent());
            // libdlib's BLAS and LAPACK by soname: Debian's libblas-dev symlinks are not needed
            Result cc = run(List.of("g++", "-O2", "-std=c++14", "-o", out.toString(), source.toString(),
                    "-ldlib", "-l:libblas.so.3", "-l:liblapack.so.3"), 600);
            if (cc.code != 0) {
                throw new IllegalStateException("compiling " + source + " failed:\n" + cc.output);
            }
        }
        binary = out;
        return out;
    }

    /** Cuts the chip with dlib's get_face_chip_details(shape, 150, 0.25) and extract_image_chips. */
    public static Chip cut(RgbImage image, double[] five) throws IOException, InterruptedException {
        return cut(image, five, null);
    }

    /** {@link #cut(RgbImage, double[])}, then dlib's network with the weights in {@code weights}. */
    public static Chip cut(RgbImage image, double[] five, Path weights) throws IOException, InterruptedException {
        Path bin = binary();
        Path dir = Files.createTempDirectory("dlib-chip");
        try {
            Path in = dir.resolve("in.rgb");
            Path out = dir.resolve("out.rgb");
            Files.write(in, image.pixels());
            List<String> cmd = new ArrayList<>(List.of(bin.toString(), in.toString(),
                    Integer.toString(image.width()), Integer.toString(image.height())));
            for (double v : five) {
                if (v != Math.rint(v)) {
                    throw new IllegalArgumentException("dlib's shape parts are whole pixels, got " + v);
                }
                cmd.add(Long.toString((long) v));
            }
            cmd.add(out.toString());
            if (weights != null) {
                cmd.add(weights.toString());
            }
            Result r = run(cmd, 120);
            if (r.code != 0) {
                throw new IllegalStateException("dlib_face_chip failed: " + r.output);
            }
            String[] lines = r.output.strip().split("\n");
            String[] f = lines[0].strip().split("\\s+");
            double[] details = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                details[i] = Double.parseDouble(f[i]);
            }
            float[] descriptor = null;
            if (weights != null) {
                String[] v = lines[lines.length - 1].strip().split("\\s+");
                descriptor = new float[v.length];
                for (int i = 0; i < v.length; i++) {
                    descriptor[i] = Float.parseFloat(v[i]);
                }
            }
            return new Chip(new RgbImage(150, 150, Files.readAllBytes(out)), details, descriptor);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
    }

    private record Result(int code, String output) {
    }

    private static Result run(List<String> cmd, int timeoutS) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd.get(0) + " did not finish in " + timeoutS + " s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
