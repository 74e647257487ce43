package io.facerec.dlibmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TensorFlow.js weights manifest and its binary shard, as npm packages ship them: tensors stored
 * one after another in manifest order, either float32 (little-endian) or uint8 with one
 * {@code scale} and {@code min} per tensor (value = q * scale + min).
 */
public final class TfjsWeights {
    public static final String MANIFEST = "face_recognition_model-weights_manifest.json";

    /** One tensor: its TF.js shape and either its uint8 codes (with scale and min) or its floats. */
    public record Tensor(String name, int[] shape, byte[] codes, double scale, double min, float[] floats) {
        public boolean quantised() {
            return codes != null;
        }

        public int size() {
            int n = 1;
            for (int d : shape) {
                n *= d;
            }
            return n;
        }

        /** The value TF.js computes for element {@code i}: the code dequantised, rounded to float. */
        public float value(int i) {
            return quantised() ? (float) ((codes[i] & 0xff) * scale + min) : floats[i];
        }

        public float[] values() {
            float[] v = new float[size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = value(i);
            }
            return v;
        }
    }

    private TfjsWeights() {
    }

    /** Every tensor of the manifest in {@code dir}, by name, in file order. */
    public static Map<String, Tensor> read(Path dir) throws IOException {
        Path manifestFile = dir.resolve(MANIFEST);
        JsonNode manifest = new ObjectMapper().readTree(manifestFile.toFile());
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            if (group.path("paths").size() != 1) {
                throw new IOException(manifestFile + ": expected one binary shard per group, got " + group.path("paths"));
            }
            Path bin = dir.resolve(group.path("paths").get(0).asText());
            ByteBuffer data = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode w : group.path("weights")) {
                String name = w.path("name").asText();
                int[] shape = new int[w.path("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = w.path("shape").get(i).asInt();
                }
                if (!"float32".equals(w.path("dtype").asText())) {
                    throw new IOException(manifestFile + ": " + name + " has dtype " + w.path("dtype") + ", expected float32");
                }
                int n = 1;
                for (int d : shape) {
                    n *= d;
                }
                JsonNode q = w.get("quantization");
                Tensor t;
                if (q != null) {
                    if (!"uint8".equals(q.path("dtype").asText())) {
                        throw new IOException(manifestFile + ": " + name + " is quantised as " + q.path("dtype") + ", expected uint8");
                    }
                    byte[] codes = new byte[n];
                    need(data, n, bin, name).get(codes);
                    t = new Tensor(name, shape, codes, q.path("scale").asDouble(), q.path("min").asDouble(), null);
                } else {
                    float[] f = new float[n];
                    need(data, 4L * n, bin, name).asFloatBuffer().get(f);
                    data.position(data.position() + 4 * n);
                    t = new Tensor(name, shape, null, 0, 0, f);
                }
                out.put(name, t);
            }
            if (data.hasRemaining()) {
                throw new IOException(bin + ": " + data.remaining() + " bytes left after the last tensor of " + manifestFile);
            }
        }
        return out;
    }

    private static ByteBuffer need(ByteBuffer data, long bytes, Path bin, String name) throws IOException {
        if (data.remaining() < bytes) {
            throw new IOException(bin + ": too short for tensor " + name + " (" + bytes + " bytes needed, "
                    + data.remaining() + " left)");
        }
        return data;
    }
}
