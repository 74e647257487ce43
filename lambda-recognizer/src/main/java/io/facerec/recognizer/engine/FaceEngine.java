package io.facerec.recognizer.engine;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.facerec.recognizer.image.ImageDecodeException;
import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Every face in a frame: detect, 68 landmarks, five-point alignment, embedding, and on request
 * dlib's descriptor from a dlib-cut chip. One instance serves one thread at a time (ONNX
 * predictors are not shared across threads); calls are serialised.
 */
public final class FaceEngine implements AutoCloseable {
    private static final Set<EmbeddingModel> DEFAULT_ONLY = EnumSet.of(EmbeddingModel.DEFAULT);

    /** A face the detector found and its 68 iBUG landmarks (x0, y0, ... in image pixels). */
    public record LocatedFace(Detection detection, float[] landmarks68) {
    }

    private final EngineConfig config;
    private final FaceModels models;
    private final ImageDecoder decoder;
    private final Predictor<RgbImage, List<Detection>> detector;
    private final Predictor<LandmarkTranslator.Input, float[]> landmarker;
    private final Predictor<RgbImage, EmbeddingTranslator.Embedding> embedder;
    private final Predictor<RgbImage, float[]> dlib;

    public FaceEngine(FaceModels models, EngineConfig config) {
        this.config = config;
        this.models = models;
        this.decoder = new ImageDecoder(config.maxPixels(), ImageDecoder.DEFAULT_MIN_SIDE);
        this.detector = models.detector.newPredictor(new DetectorTranslator(config.minScore()));
        this.landmarker = models.landmarks.newPredictor(new LandmarkTranslator());
        this.embedder = models.embedder.newPredictor(new EmbeddingTranslator());
        this.dlib = models.dlib.newPredictor(new DlibDescriptorTranslator());
    }

    /** Loads the models (from {@code modelsDir}, or the jar when null) and primes them once. */
    public static FaceEngine load(EngineConfig config, Path modelsDir) throws IOException {
        FaceEngine engine = new FaceEngine(FaceModels.load(modelsDir), config);
        engine.prime();
        return engine;
    }

    public EngineConfig config() {
        return config;
    }

    public String modelId() {
        return FaceModels.EMBEDDING_MODEL_ID;
    }

    public int dimension() {
        return FaceModels.EMBEDDING_DIM;
    }

    /** Decodes and analyses an encoded frame with the default embedding; {@code source} names it in errors. */
    public FrameAnalysis analyze(byte[] encoded, String source) throws ImageDecodeException {
        return analyze(encoded, source, DEFAULT_ONLY);
    }

    /**
     * Decodes and analyses an encoded frame, making the vectors of the {@code models} asked for.
     * The default embedding is made also when only dlib's is asked for while
     * {@link EngineConfig#minQuality()} is above zero: its length is what tells a face from a
     * face-like thing, and such things must not be announced as strangers.
     */
    public FrameAnalysis analyze(byte[] encoded, String source, Set<EmbeddingModel> models) throws ImageDecodeException {
        long t0 = System.nanoTime();
        RgbImage image = decoder.decode(encoded, source);
        long decode = System.nanoTime() - t0;
        return analyze(image, decode, source, models);
    }

    public FrameAnalysis analyze(RgbImage image) {
        return analyze(image, 0, "image", DEFAULT_ONLY);
    }

    public FrameAnalysis analyze(RgbImage image, Set<EmbeddingModel> models) {
        return analyze(image, 0, "image", models);
    }

    /** The faces and their 68 landmarks, in the image's pixels, without embeddings. */
    public synchronized List<LocatedFace> locate(RgbImage image) {
        try {
            List<LocatedFace> out = new ArrayList<>();
            for (Detection d : detector.predict(image)) {
                out.add(new LocatedFace(d, landmarker.predict(new LandmarkTranslator.Input(image, d.box()))));
            }
            return out;
        } catch (TranslateException e) {
            throw new IllegalStateException("model inference failed: " + e.getMessage(), e);
        }
    }

    /** dlib's descriptor of a chip cut by {@link DlibChip}. */
    public synchronized float[] dlibDescriptor(RgbImage chip) {
        try {
            return dlib.predict(chip);
        } catch (TranslateException e) {
            throw new IllegalStateException("model inference failed: " + e.getMessage(), e);
        }
    }

    private synchronized FrameAnalysis analyze(RgbImage full, long decodeNanos, String source,
                                               Set<EmbeddingModel> models) {
        boolean wantDlib = models.contains(EmbeddingModel.DLIB);
        boolean wantDefault = models.contains(EmbeddingModel.DEFAULT) || config.minQuality() > 0;
        if (!wantDlib && !models.contains(EmbeddingModel.DEFAULT)) {
            throw new IllegalArgumentException("no embedding model asked for");
        }
        RgbImage work = full;
        float toFull = 1f;
        if (config.downscale() < 1.0) {
            int w = Math.max(1, (int) Math.round(full.width() * config.downscale()));
            int h = Math.max(1, (int) Math.round(full.height() * config.downscale()));
            work = full.resize(w, h);
            toFull = (float) full.width() / w;
        }
        try {
            long t = System.nanoTime();
            List<Detection> detections = detector.predict(work);
            if (config.tiledPass()) {
                detections = TiledDetection.detect(detector, work, detections);
            }
            long detect = System.nanoTime() - t;
            long landmarkNs = 0;
            long alignNs = 0;
            long embedNs = 0;
            long dlibNs = 0;
            List<DetectedFace> faces = new ArrayList<>();
            for (Detection d : detections) {
                if (d.box().height() * toFull < config.minFacePx()) {
                    continue;
                }
                t = System.nanoTime();
                float[] lm68 = landmarker.predict(new LandmarkTranslator.Input(work, d.box()));
                long t2 = System.nanoTime();
                float[] five = FaceAligner.fivePoints(lm68);
                landmarkNs += t2 - t;
                EmbeddingTranslator.Embedding embedding = null;
                if (wantDefault) {
                    RgbImage aligned = FaceAligner.align(work, five);
                    long t3 = System.nanoTime();
                    embedding = embedder.predict(aligned);
                    alignNs += t3 - t2;
                    embedNs += System.nanoTime() - t3;
                    if (embedding.norm() < config.minQuality()) {
                        continue;
                    }
                }
                float[] descriptor = null;
                if (wantDlib) {
                    long t5 = System.nanoTime();
                    // cut from the full frame: face_recognition cut its chips from the photo as given
                    descriptor = dlib.predict(DlibChip.cut(full, scaled(lm68, toFull)));
                    dlibNs += System.nanoTime() - t5;
                }
                for (int i = 0; i < five.length; i++) {
                    five[i] *= toFull;
                }
                faces.add(new DetectedFace(d.box().scale(toFull), d.score(), five,
                        embedding == null ? null : embedding.vector(), embedding == null ? Float.NaN : embedding.norm(),
                        descriptor));
            }
            return new FrameAnalysis(full.width(), full.height(), List.copyOf(faces),
                    new FrameAnalysis.StageTimes(decodeNanos, detect, landmarkNs, alignNs, embedNs, dlibNs));
        } catch (TranslateException e) {
            throw new IllegalStateException(source + ": model inference failed: " + e.getMessage(), e);
        }
    }

    private static float[] scaled(float[] points, float f) {
        if (f == 1f) {
            return points;
        }
        float[] out = points.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= f;
        }
        return out;
    }

    /** Runs each model once so the first real frame does not pay for lazy initialisation. */
    public void prime() {
        byte[] grey = new byte[320 * 240 * 3];
        java.util.Arrays.fill(grey, (byte) 128);
        RgbImage img = new RgbImage(320, 240, grey);
        try {
            detector.predict(img);
            landmarker.predict(new LandmarkTranslator.Input(img, new Box(100, 60, 200, 180)));
            embedder.predict(FaceAligner.align(img, new float[] {130, 100, 170, 100, 150, 120, 135, 140, 165, 140}));
            dlib.predict(DlibChip.extract(img, DlibChip.details(new double[] {175, 100, 160, 100, 125, 100, 140, 100, 150, 140},
                    DlibChip.SIZE, DlibChip.PADDING), DlibChip.SIZE));
        } catch (TranslateException e) {
            throw new IllegalStateException("priming the models failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        detector.close();
        landmarker.close();
        embedder.close();
        dlib.close();
        models.close();
    }
}
