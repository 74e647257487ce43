package io.facerec.dlibmodel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Turns the TF.js weights of dlib's face descriptor ResNet (npm {@code @vladmandic/face-api}) into an
 * ONNX graph. The layer order is dlib's {@code dnn_face_recognition_ex} network, as face-api's
 * FaceRecognitionNet runs it: conv 7x7/2 (32), max-pool 3x3/2, residual blocks at 32, 64, 128 and
 * 256 channels with a down block before each width change, a last down block at 256, global
 * average pool, fully connected 256 to 128 without bias.
 *
 * <p>Each conv's scale layer is folded into the conv: per output channel, the weights are
 * multiplied by the scale and the bias becomes {@code bias * scale + shift}. The uint8 weights stay
 * uint8 in the graph with a per-channel dequantisation ({@code q * scale' + min'}) in front of the
 * conv, which ONNX Runtime folds into constants when the session starts: the file is a quarter of
 * the float size.
 *
 * <p>Input {@code input} [1,3,150,150]: the RGB chip, {@code (p - mean) / 256}. Output {@code output}
 * [1,128]: the descriptor, not normalised.
 */
public final class DlibModelConverter {
    public static final String FILE = "dlib_resnet_v1.onnx";
    public static final int SIZE = 150;
    private static final String PRODUCER = "facerec dlib-model converter 1";

    private final Map<String, TfjsWeights.Tensor> weights;
    private final OnnxGraph g = new OnnxGraph();
    private int side = SIZE;
    private int channels = 3;

    private DlibModelConverter(Map<String, TfjsWeights.Tensor> weights) {
        this.weights = weights;
    }

    /** The ONNX model for the weights in {@code weightsDir}. */
    public static byte[] convert(Path weightsDir) throws IOException {
        return new DlibModelConverter(TfjsWeights.read(weightsDir)).build();
    }

    /**
     * {@code WEIGHTS_DIR OUT_DIR SHA256}: writes OUT_DIR/dlib_resnet_v1.onnx and the package's
     * LICENSE beside it, and fails when the graph's SHA-256 is not the pinned one.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: DlibModelConverter WEIGHTS_DIR OUT_DIR SHA256");
        }
        Path in = Path.of(args[0]);
        Path outDir = Path.of(args[1]);
        byte[] model = convert(in);
        String sum = sha256(model);
        if (!sum.equals(args[2])) {
            throw new IllegalStateException("dlib-model: the converted " + FILE + " has SHA-256 " + sum + ", expected "
                    + args[2] + " (dlib.onnx.sha256 in dlib-model/pom.xml): the weights in " + in
                    + " or the converter changed");
        }
        Files.createDirectories(outDir);
        Path tmp = outDir.resolve(FILE + ".tmp");
        Files.write(tmp, model);
        Files.move(tmp, outDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.copy(in.resolve("LICENSE"), outDir.resolve("LICENSE"), StandardCopyOption.REPLACE_EXISTING);
        System.out.println("dlib-model: " + FILE + " (" + model.length + " bytes, SHA-256 " + sum + ") in " + outDir);
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] build() {
        String x = "input";
        x = conv(x, "conv32_down", 2, 0, true);
        x = g.node("MaxPool", "pool", List.of(x), OnnxGraph.Attr.ints("kernel_shape", 3, 3),
                OnnxGraph.Attr.ints("strides", 2, 2), OnnxGraph.Attr.ints("pads", 0, 0, 0, 0));
        side = (side - 3) / 2 + 1;
        for (String block : List.of("conv32_1", "conv32_2", "conv32_3")) {
            x = residual(x, block);
        }
        x = residualDown(x, "conv64_down");
        for (String block : List.of("conv64_1", "conv64_2", "conv64_3")) {
            x = residual(x, block);
        }
        x = residualDown(x, "conv128_down");
        x = residual(x, "conv128_1");
        x = residual(x, "conv128_2");
        x = residualDown(x, "conv256_down");
        x = residual(x, "conv256_1");
        x = residual(x, "conv256_2");
        x = residualDown(x, "conv256_down_out");
        x = g.node("GlobalAveragePool", "gap", List.of(x));
        x = g.node("Flatten", "flat", List.of(x), OnnxGraph.Attr.i("axis", 1));
        TfjsWeights.Tensor fc = tensor("fc");
        String fcW = dequantised("fc", fc, null, fc.shape()[0], fc.shape()[1]);
        g.node("MatMul", "output", List.of(x, fcW));
        return g.model(PRODUCER, "input", new long[] {1, 3, SIZE, SIZE}, "output", new long[] {1, fc.shape()[1]});
    }

    /** conv 3x3 + ReLU, conv 3x3, add the input, ReLU. */
    private String residual(String x, String block) {
        String out = conv(x, block + "/conv1", 1, 1, true);
        out = conv(out, block + "/conv2", 1, 1, false);
        return g.node("Relu", block + "/out", List.of(g.node("Add", block + "/sum", List.of(out, x))));
    }

    /**
     * Main: conv 3x3/2 without padding + ReLU, conv 3x3. Shortcut: avg-pool 2x2/2 of the input with
     * zero channels appended up to the main branch's width. dlib adds tensors of unequal size by
     * zero-filling the smaller one at the bottom and right, which is what happens where the main
     * branch comes out one row and column short.
     */
    private String residualDown(String x, String block) {
        int inSide = side;
        int inChannels = channels;
        String main = conv(x, block + "/conv1", 2, 0, true);
        main = conv(main, block + "/conv2", 1, 1, false);
        int poolSide = (inSide - 2) / 2 + 1;
        String shortcut = g.node("AveragePool", block + "/pool", List.of(x),
                OnnxGraph.Attr.ints("kernel_shape", 2, 2), OnnxGraph.Attr.ints("strides", 2, 2));
        if (channels != inChannels) {
            shortcut = g.node("Pad", block + "/pool_padded", List.of(shortcut,
                    g.int64s(block + "/pool_pads", 0, 0, 0, 0, 0, channels - inChannels, 0, 0)));
        }
        if (side != poolSide) {
            int d = poolSide - side;
            if (d < 0) {
                throw new IllegalStateException(block + ": main branch " + side + " larger than shortcut " + poolSide);
            }
            main = g.node("Pad", block + "/main_padded", List.of(main,
                    g.int64s(block + "/main_pads", 0, 0, 0, 0, 0, 0, d, d)));
            side = poolSide;
        }
        return g.node("Relu", block + "/out", List.of(g.node("Add", block + "/sum", List.of(main, shortcut))));
    }

    /** A conv layer with its bias and scale layer folded in, optionally followed by ReLU. */
    private String conv(String x, String layer, int stride, int pad, boolean relu) {
        TfjsWeights.Tensor filters = tensor(layer + "/conv/filters");
        float[] bias = tensor(layer + "/conv/bias").values();
        float[] scale = tensor(layer + "/scale/weights").values();
        float[] shift = tensor(layer + "/scale/biases").values();
        int[] s = filters.shape(); // kh, kw, in, out
        int kh = s[0];
        int kw = s[1];
        int in = s[2];
        int out = s[3];
        if (in != channels) {
            throw new IllegalStateException(layer + ": filters take " + in + " channels, the input has " + channels);
        }
        // TF.js HWIO -> ONNX OIHW, codes or floats alike
        int n = filters.size();
        int[] from = new int[n];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < in; i++) {
                for (int y = 0; y < kh; y++) {
                    for (int xx = 0; xx < kw; xx++) {
                        from[((o * in + i) * kh + y) * kw + xx] = ((y * kw + xx) * in + i) * out + o;
                    }
                }
            }
        }
        String w = dequantised(layer, filters, from, out, in, kh, kw);
        String wScaled = g.node("Mul", layer + "/W", List.of(w, channelScale(layer, scale)));
        float[] folded = new float[out];
        for (int o = 0; o < out; o++) {
            folded[o] = bias[o] * scale[o] + shift[o];
        }
        String b = g.floats(layer + "/B", folded, out);
        String y = g.node("Conv", layer + "/conv", List.of(x, wScaled, b),
                OnnxGraph.Attr.ints("kernel_shape", kh, kw), OnnxGraph.Attr.ints("strides", stride, stride),
                OnnxGraph.Attr.ints("pads", pad, pad, pad, pad));
        side = (side + 2 * pad - kh) / stride + 1;
        channels = out;
        return relu ? g.node("Relu", layer + "/relu", List.of(y)) : y;
    }

    /** The per-output-channel scale layer, shaped to broadcast over OIHW weights. */
    private String channelScale(String layer, float[] scale) {
        return g.floats(layer + "/scale", scale, scale.length, 1, 1, 1);
    }

    /**
     * The tensor's values as a graph value, elements reordered by {@code from} (null: as stored):
     * float weights as they are, uint8 weights as codes with a Cast, Mul and Add in front.
     */
    private String dequantised(String layer, TfjsWeights.Tensor t, int[] from, long... dims) {
        int n = t.size();
        if (!t.quantised()) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = t.floats()[from == null ? i : from[i]];
            }
            return g.floats(layer + "/W_float", v, dims);
        }
        byte[] codes = new byte[n];
        for (int i = 0; i < n; i++) {
            codes[i] = t.codes()[from == null ? i : from[i]];
        }
        String q = g.uint8(layer + "/W_codes", codes, dims);
        String f = g.node("Cast", layer + "/W_cast", List.of(q), OnnxGraph.Attr.i("to", OnnxGraph.FLOAT));
        String scaled = g.node("Mul", layer + "/W_step", List.of(f, g.floats(layer + "/W_q_scale", new float[] {(float) t.scale()})));
        return g.node("Add", layer + "/W_dequant", List.of(scaled, g.floats(layer + "/W_q_min", new float[] {(float) t.min()})));
    }

    private TfjsWeights.Tensor tensor(String name) {
        TfjsWeights.Tensor t = weights.get(name);
        if (t == null) {
            throw new IllegalStateException("the weights have no tensor " + name);
        }
        return t;
    }
}
