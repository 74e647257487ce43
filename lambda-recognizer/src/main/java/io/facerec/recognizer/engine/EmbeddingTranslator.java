package io.facerec.recognizer.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.facerec.recognizer.image.RgbImage;

/**
 * fr_feature.onnx: an aligned 112x112 face in <b>BGR</b> order (it separates people better than
 * RGB), (p - 127) / 128, NCHW. The 512 outputs are L2-normalised so cosine is a dot product; their
 * length before that is kept as the face's quality: real, sharp faces come out long (3-4.5),
 * blurred faces and things that only look like faces (a cat, a pattern) short (below 2.2).
 */
public final class EmbeddingTranslator implements Translator<RgbImage, EmbeddingTranslator.Embedding> {

    /** The unit vector and the raw vector's length. */
    public record Embedding(float[] vector, float norm) {
    }

    static final int SIZE = FaceAligner.SIZE;

    @Override
    public NDList processInput(TranslatorContext ctx, RgbImage face) {
        if (face.width() != SIZE || face.height() != SIZE) {
            throw new IllegalArgumentException("aligned face must be " + SIZE + "x" + SIZE);
        }
        byte[] px = face.pixels();
        int plane = SIZE * SIZE;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            chw[i] = ((px[i * 3 + 2] & 0xff) - 127f) / 128f;
            chw[plane + i] = ((px[i * 3 + 1] & 0xff) - 127f) / 128f;
            chw[2 * plane + i] = ((px[i * 3] & 0xff) - 127f) / 128f;
        }
        return new NDList(ctx.getNDManager().create(chw, new Shape(1, 3, SIZE, SIZE)));
    }

    @Override
    public Embedding processOutput(TranslatorContext ctx, NDList list) {
        float[] v = list.get(0).toFloatArray();
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        float inv = sum > 0 ? (float) (1 / Math.sqrt(sum)) : 0f;
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return new Embedding(v, (float) Math.sqrt(sum));
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
