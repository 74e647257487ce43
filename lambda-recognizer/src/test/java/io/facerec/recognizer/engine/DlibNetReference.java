package io.facerec.recognizer.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.recognizer.image.RgbImage;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A second, independent implementation of dlib's face descriptor network for the tests: a direct
 * forward pass over the raw TF.js weights of {@code @vladmandic/face-api}, in NHWC with the
 * weights in their stored HWIO layout, each layer as face-api's FaceRecognitionNet computes it
 * (conv, bias, scale layer, ReLU; its residual and down blocks; mean; matmul). It shares no code
 * with the build-time converter: not the weight reader, not the layout change, not the folding.
 */
final class DlibNetReference {
    private static final float[] MEAN = {122.782f, 117.001f, 104.298f};
    private final Map<String, float[]> values = new HashMap<>();
    private final Map<String, int[]> shapes = new HashMap<>();

    /** Reads the manifest and the .bin from the face-api package folder. */
    DlibNetReference(Path dir) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("face_recognition_model-weights_manifest.json").toFile());
        JsonNode group = manifest.get(0);
        ByteBuffer bin = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(group.get("paths").get(0).asText())))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (JsonNode w : group.get("weights")) {
            int[] shape = new int[w.get("shape").size()];
            int n = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = w.get("shape").get(i).asInt();
                n *= shape[i];
            }
            float[] v = new float[n];
            JsonNode q = w.get("quantization");
            for (int i = 0; i < n; i++) {
                v[i] = q == null ? bin.getFloat() : (float) ((bin.get() & 0xff) * q.get("scale").asDouble() + q.get("min").asDouble());
            }
            values.put(w.get("name").asText(), v);
            shapes.put(w.get("name").asText(), shape);
        }
    }

    /** The conv layers from the input on, as face-api names them. */
    static final List<String> CONV_LAYERS = List.of("conv32_down",
            "conv32_1/conv1", "conv32_1/conv2", "conv32_2/conv1", "conv32_2/conv2", "conv32_3/conv1", "conv32_3/conv2",
            "conv64_down/conv1", "conv64_down/conv2", "conv64_1/conv1", "conv64_1/conv2", "conv64_2/conv1",
            "conv64_2/conv2", "conv64_3/conv1", "conv64_3/conv2",
            "conv128_down/conv1", "conv128_down/conv2", "conv128_1/conv1", "conv128_1/conv2", "conv128_2/conv1",
            "conv128_2/conv2",
            "conv256_down/conv1", "conv256_down/conv2", "conv256_1/conv1", "conv256_1/conv2", "conv256_2/conv1",
            "conv256_2/conv2", "conv256_down_out/conv1", "conv256_down_out/conv2");

    /**
     * The weights as dlib's own network takes them (src/test/cpp/dlib_face_chip.cpp): per conv layer
     * filters (out, in, rows, cols), bias, scale, shift; then the fully connected layer. Float32, LE.
     */
    void writeForDlib(Path file) throws IOException {
        int total = 0;
        for (float[] v : values.values()) {
            total += v.length;
        }
        ByteBuffer out = ByteBuffer.allocate(4 * total).order(ByteOrder.LITTLE_ENDIAN);
        for (String layer : CONV_LAYERS) {
            int[] s = shapes.get(layer + "/conv/filters");
            float[] f = values.get(layer + "/conv/filters");
            for (int o = 0; o < s[3]; o++) {
                for (int i = 0; i < s[2]; i++) {
                    for (int y = 0; y < s[0]; y++) {
                        for (int x = 0; x < s[1]; x++) {
                            out.putFloat(f[((y * s[1] + x) * s[2] + i) * s[3] + o]);
                        }
                    }
                }
            }
            for (String part : List.of("/conv/bias", "/scale/weights", "/scale/biases")) {
                for (float v : values.get(layer + part)) {
                    out.putFloat(v);
                }
            }
        }
        for (float v : values.get("fc")) {
            out.putFloat(v);
        }
        if (out.hasRemaining()) {
            throw new IllegalStateException("weights left over: " + out.remaining() / 4 + " values");
        }
        Files.write(file, out.array());
    }

    /** An NHWC activation without the batch axis. */
    private record T(int h, int w, int c, float[] d) {
        float at(int y, int x, int ch) {
            return d[(y * w + x) * c + ch];
        }
    }

    float[] descriptor(RgbImage chip) {
        float[] in = new float[150 * 150 * 3];
        byte[] px = chip.pixels();
        for (int i = 0; i < in.length; i++) {
            in[i] = ((px[i] & 0xff) - MEAN[i % 3]) / 256f;
        }
        T x = new T(150, 150, 3, in);
        x = conv(x, "conv32_down", 2, false, true);
        x = maxPool3x3s2(x);
        x = residual(x, "conv32_1");
        x = residual(x, "conv32_2");
        x = residual(x, "conv32_3");
        x = residualDown(x, "conv64_down");
        x = residual(x, "conv64_1");
        x = residual(x, "conv64_2");
        x = residual(x, "conv64_3");
        x = residualDown(x, "conv128_down");
        x = residual(x, "conv128_1");
        x = residual(x, "conv128_2");
        x = residualDown(x, "conv256_down");
        x = residual(x, "conv256_1");
        x = residual(x, "conv256_2");
        x = residualDown(x, "conv256_down_out");
        double[] mean = new double[x.c()];
        for (int i = 0; i < x.h() * x.w(); i++) {
            for (int ch = 0; ch < x.c(); ch++) {
                mean[ch] += x.d()[i * x.c() + ch];
            }
        }
        float[] fc = values.get("fc");
        int outs = shapes.get("fc")[1];
        float[] out = new float[outs];
        for (int o = 0; o < outs; o++) {
            double s = 0;
            for (int ch = 0; ch < x.c(); ch++) {
                s += mean[ch] / (x.h() * x.w()) * fc[ch * outs + o];
            }
            out[o] = (float) s;
        }
        return out;
    }

    private T residual(T x, String block) {
        T out = conv(x, block + "/conv1", 1, true, true);
        out = conv(out, block + "/conv2", 1, true, false);
        float[] d = new float[out.d().length];
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.max(0, out.d()[i] + x.d()[i]);
        }
        return new T(out.h(), out.w(), out.c(), d);
    }

    private T residualDown(T x, String block) {
        T out = conv(x, block + "/conv1", 2, false, true);
        out = conv(out, block + "/conv2", 1, true, false);
        // avg-pool 2x2/2 'valid' of the input; zeros where it has fewer channels or the main branch fewer rows
        int ph = (x.h() - 2) / 2 + 1;
        int pw = (x.w() - 2) / 2 + 1;
        float[] d = new float[ph * pw * out.c()];
        for (int y = 0; y < ph; y++) {
            for (int xx = 0; xx < pw; xx++) {
                for (int ch = 0; ch < out.c(); ch++) {
                    float pooled = ch >= x.c() ? 0 : (x.at(2 * y, 2 * xx, ch) + x.at(2 * y, 2 * xx + 1, ch)
                            + x.at(2 * y + 1, 2 * xx, ch) + x.at(2 * y + 1, 2 * xx + 1, ch)) / 4;
                    float main = y < out.h() && xx < out.w() ? out.at(y, xx, ch) : 0;
                    d[(y * pw + xx) * out.c() + ch] = Math.max(0, pooled + main);
                }
            }
        }
        return new T(ph, pw, out.c(), d);
    }

    private static T maxPool3x3s2(T x) {
        int oh = (x.h() - 3) / 2 + 1;
        int ow = (x.w() - 3) / 2 + 1;
        float[] d = new float[oh * ow * x.c()];
        for (int y = 0; y < oh; y++) {
            for (int xx = 0; xx < ow; xx++) {
                for (int ch = 0; ch < x.c(); ch++) {
                    float m = Float.NEGATIVE_INFINITY;
                    for (int ky = 0; ky < 3; ky++) {
                        for (int kx = 0; kx < 3; kx++) {
                            m = Math.max(m, x.at(2 * y + ky, 2 * xx + kx, ch));
                        }
                    }
                    d[(y * ow + xx) * x.c() + ch] = m;
                }
            }
        }
        return new T(oh, ow, x.c(), d);
    }

    /** TF conv2d ('same' pads a 3x3 by one on every side at stride 1), bias, scale layer, ReLU. */
    private T conv(T x, String layer, int stride, boolean same, boolean relu) {
        int[] s = shapes.get(layer + "/conv/filters");
        float[] f = values.get(layer + "/conv/filters");
        float[] bias = values.get(layer + "/conv/bias");
        float[] scale = values.get(layer + "/scale/weights");
        float[] shift = values.get(layer + "/scale/biases");
        int kh = s[0];
        int kw = s[1];
        int in = s[2];
        int out = s[3];
        int pad = same ? (kh - 1) / 2 : 0;
        int oh = same ? (x.h() + stride - 1) / stride : (x.h() - kh) / stride + 1;
        int ow = same ? (x.w() + stride - 1) / stride : (x.w() - kw) / stride + 1;
        float[] d = new float[oh * ow * out];
        double[] acc = new double[out];
        for (int y = 0; y < oh; y++) {
            for (int xx = 0; xx < ow; xx++) {
                java.util.Arrays.fill(acc, 0);
                for (int ky = 0; ky < kh; ky++) {
                    int sy = y * stride + ky - pad;
                    if (sy < 0 || sy >= x.h()) {
                        continue;
                    }
                    for (int kx = 0; kx < kw; kx++) {
                        int sx = xx * stride + kx - pad;
                        if (sx < 0 || sx >= x.w()) {
                            continue;
                        }
                        int xi = (sy * x.w() + sx) * in;
                        int fi = (ky * kw + kx) * in * out;
                        for (int i = 0; i < in; i++) {
                            double v = x.d()[xi + i];
                            int fo = fi + i * out;
                            for (int o = 0; o < out; o++) {
                                acc[o] += v * f[fo + o];
                            }
                        }
                    }
                }
                for (int o = 0; o < out; o++) {
                    float v = (float) ((acc[o] + bias[o]) * scale[o] + shift[o]);
                    d[(y * ow + xx) * out + o] = relu ? Math.max(0, v) : v;
                }
            }
        }
        return new T(oh, ow, out, d);
    }
}
