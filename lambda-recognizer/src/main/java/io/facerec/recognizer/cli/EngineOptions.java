package io.facerec.recognizer.cli;

import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FaceModels;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every subcommand shares: how the engine runs and where its models are. Checked as parsed. */
final class EngineOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    double threshold = FaceModels.DEFAULT_THRESHOLD;
    boolean thresholdGiven;
    double downscale = EngineConfig.DEFAULT_DOWNSCALE;
    int minFace = EngineConfig.DEFAULT_MIN_FACE_PX;
    float minScore = EngineConfig.DEFAULT_MIN_SCORE;
    float minQuality = EngineConfig.DEFAULT_MIN_QUALITY;
    boolean tiledPass;
    Path models = fromEnvironment();

    @Option(names = "--threshold", paramLabel = "T",
            description = "cosine similarity to name a face, -1..1 (default: the gallery's, else "
                    + FaceModels.DEFAULT_THRESHOLD + ")")
    void threshold(String v) {
        threshold = number("--threshold", v);
        if (!(threshold >= -1 && threshold <= 1)) {
            throw invalid("--threshold must be between -1 and 1 (a cosine similarity), got " + v);
        }
        thresholdGiven = true;
    }

    @Option(names = "--downscale", paramLabel = "F",
            description = "shrink images by F before the models, 0 < F <= 1 (default " + EngineConfig.DEFAULT_DOWNSCALE + ")")
    void downscale(String v) {
        downscale = number("--downscale", v);
        if (!(downscale > 0 && downscale <= 1)) {
            throw invalid("--downscale must be more than 0 and at most 1, got " + v);
        }
    }

    @Option(names = "--min-face", paramLabel = "PX",
            description = "ignore faces shorter than PX pixels (default " + EngineConfig.DEFAULT_MIN_FACE_PX + ")")
    void minFace(String v) {
        double px = number("--min-face", v);
        if (!(px >= 1 && px <= 100_000)) {
            throw invalid("--min-face must be a number of pixels from 1, got " + v);
        }
        minFace = (int) px;
    }

    @Option(names = "--min-score", paramLabel = "S",
            description = "detector score a face must reach, 0 < S < 1 (default " + EngineConfig.DEFAULT_MIN_SCORE + ")")
    void minScore(String v) {
        double s = number("--min-score", v);
        if (!(s > 0 && s < 1)) {
            throw invalid("--min-score must be more than 0 and less than 1, got " + v);
        }
        minScore = (float) s;
    }

    @Option(names = "--min-quality", paramLabel = "Q",
            description = "embedding length a face must reach, from 0 (default " + EngineConfig.DEFAULT_MIN_QUALITY + ")")
    void minQuality(String v) {
        double q = number("--min-quality", v);
        if (!(q >= 0 && q <= 100)) {
            throw invalid("--min-quality must be between 0 and 100, got " + v);
        }
        minQuality = (float) q;
    }

    @Option(names = "--tiled-pass", description = "a second detection pass over four tiles of each image (finds smaller faces; slower)")
    void tiledPass(boolean on) {
        tiledPass = on;
    }

    @Option(names = "--models", paramLabel = "DIR",
            description = "the ONNX models' folder (default: $FACE_MODELS_DIR, else the models inside the jar)")
    void models(Path dir) {
        models = dir;
    }

    FaceEngine load() throws IOException {
        return FaceEngine.load(config(), models);
    }

    /** The engine these options describe. */
    EngineConfig config() {
        return EngineConfig.defaults().withDownscale(downscale).withMinFacePx(minFace).withGates(minScore, minQuality)
                .withTiledPass(tiledPass);
    }

    private double number(String flag, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw invalid(flag + " takes a number, got '" + v + "'");
        }
    }

    private ParameterException invalid(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static Path fromEnvironment() {
        String env = System.getenv("FACE_MODELS_DIR");
        return env == null || env.isBlank() ? null : Path.of(env);
    }
}
