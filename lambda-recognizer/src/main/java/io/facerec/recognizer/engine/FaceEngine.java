package io.facerec.recognizer.engine;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import io.facerec.recognizer.image.ImageDecodeException;
import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.image.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Every face in a frame: detect, 68 landmarks, five-point alignment, embedding. One instance
 * serves one thread at a time (ONNX predictors are not shared across threads); calls are
 * serialised.
 */
public final class FaceEngine implements AutoCloseable {
    private final EngineConfig config;
    private final FaceModels models;
    private final ImageDecoder decoder;
    private final Predictor<RgbImage, List<Detection>> detector;
    private final Predictor<LandmarkTranslator.Input, float[]> landmarker;
    private final Predictor<RgbImage, EmbeddingTranslator.Embedding> embedder;

    public FaceEngine(FaceModels models, EngineConfig config) {
        this.config = config;
        this.models = models;
        this.decoder = new ImageDecoder(config.maxPixels(), ImageDecoder.DEFAULT_MIN_SIDE);
        this.detector = models.detector.newPredictor(new DetectorTranslator(config.minScore()));
        this.landmarker = models.landmarks.newPredictor(new LandmarkTranslator());
        this.embedder = models.embedder.newPredictor(new EmbeddingTranslator());
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

    /** Decodes and analyses an encoded frame; {@code source} names it in errors. */
    public FrameAnalysis analyze(byte[] encoded, String source) throws ImageDecodeException {
        long t0 = System.nanoTime();
        RgbImage image = decoder.decode(encoded, source);
        long decode = System.nanoTime() - t0;
        return analyze(image, decode, source);
    }

    public FrameAnalysis analyze(RgbImage image) {
        return analyze(image, 0, "image");
    }

    private synchronized FrameAnalysis analyze(RgbImage full, long decodeNanos, String source) {
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
            long detect = System.nanoTime() - t;
            long landmarkNs = 0;
            long alignNs = 0;
            long embedNs = 0;
            List<DetectedFace> faces = new ArrayList<>();
            for (Detection d : detections) {
                if (d.box().height() * toFull < config.minFacePx()) {
                    continue;
                }
                t = System.nanoTime();
                float[] lm68 = landmarker.predict(new LandmarkTranslator.Input(work, d.box()));
                long t2 = System.nanoTime();
                float[] five = FaceAligner.fivePoints(lm68);
                RgbImage aligned = FaceAligner.align(work, five);
                long t3 = System.nanoTime();
                EmbeddingTranslator.Embedding embedding = embedder.predict(aligned);
                long t4 = System.nanoTime();
                landmarkNs += t2 - t;
                alignNs += t3 - t2;
                embedNs += t4 - t3;
                if (embedding.norm() < config.minQuality()) {
                    continue;
                }
                for (int i = 0; i < five.length; i++) {
                    five[i] *= toFull;
                }
                faces.add(new DetectedFace(d.box().scale(toFull), d.score(), five, embedding.vector(), embedding.norm()));
            }
            return new FrameAnalysis(full.width(), full.height(), List.copyOf(faces),
                    new FrameAnalysis.StageTimes(decodeNanos, detect, landmarkNs, alignNs, embedNs));
        } catch (TranslateException e) {
            throw new IllegalStateException(source + ": model inference failed: " + e.getMessage(), e);
        }
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
        } catch (TranslateException e) {
            throw new IllegalStateException("priming the models failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        detector.close();
        landmarker.close();
        embedder.close();
        models.close();
    }
}
