package io.facerec.recognizer.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.facerec.recognizer.image.RgbImage;

/**
 * dlib_resnet_v1.onnx: a 150x150 chip cut by {@link DlibChip}, RGB planes, {@code (p - mean) / 256}
 * with dlib's channel means (its {@code input_rgb_image_sized}; face-api 1.7.15 divides by 255,
 * which moves descriptors by up to 0.001). The 128 outputs are returned as they are: dlib's
 * descriptors are compared by Euclidean distance, not normalised.
 */
public final class DlibDescriptorTranslator implements Translator<RgbImage, float[]> {
    static final int SIZE = DlibChip.SIZE;
    static final float[] MEAN = {122.782f, 117.001f, 104.298f};

    @Override
    public NDList processInput(TranslatorContext ctx, RgbImage chip) {
        return new NDList(ctx.getNDManager().create(tensor(chip), new Shape(1, 3, SIZE, SIZE)));
    }

    /** The model's input for a chip, NCHW without the batch axis. */
    static float[] tensor(RgbImage chip) {
        if (chip.width() != SIZE || chip.height() != SIZE) {
            throw new IllegalArgumentException("dlib chip must be " + SIZE + "x" + SIZE + ", got "
                    + chip.width() + "x" + chip.height());
        }
        byte[] px = chip.pixels();
        int plane = SIZE * SIZE;
        float[] chw = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                chw[c * plane + i] = ((px[i * 3 + c] & 0xff) - MEAN[c]) / 256f;
            }
        }
        return chw;
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
        return list.get(0).toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
        return null;
    }
}
