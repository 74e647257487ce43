package io.facerec.recognizer.cli;

import io.facerec.model.match.Metric;
import io.facerec.recognizer.engine.EmbeddingModel;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FaceModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
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
    EmbeddingModel model = EmbeddingModel.DEFAULT;
    boolean modelGiven;
    double downscale = EngineConfig.DEFAULT_DOWNSCALE;
    int minFace = EngineConfig.DEFAULT_MIN_FACE_PX;
    float minScore = EngineConfig.DEFAULT_MIN_SCORE;
    float minQuality = EngineConfig.DEFAULT_MIN_QUALITY;
    boolean tiledPass;
    Path models = fromEnvironment();

    @Option(names = "--threshold", paramLabel = "T",
            description = "to name a face, in the model's metric: a cosine similarity -1..1 (default model, default "
                    + FaceModels.DEFAULT_THRESHOLD + "; higher is stricter), or a Euclidean distance 0..1 (dlib, default "
                    + FaceModels.DLIB_THRESHOLD + "; lower is stricter). Default: the gallery's, else the model's")
    void threshold(String v) {
        threshold = number("--threshold", v);
        if (!(threshold >= -1 && threshold <= 1)) {
            throw invalid("--threshold must be between -1 and 1 (a cosine similarity, or a distance 0..1 for dlib), got " + v);
        }
        thresholdGiven = true;
    }

    @Option(names = "--model", paramLabel = "MODEL",
            description = "the face vectors: default (512 numbers, cosine) or dlib (128 numbers, Euclidean distance, as "
                    + "Python face_recognition and face-api make them). Default: default; recognize: the gallery's")
    void model(String v) {
        model = switch (v.toLowerCase(Locale.ROOT)) {
            case "default" -> EmbeddingModel.DEFAULT;
            case "dlib" -> EmbeddingModel.DLIB;
            default -> throw invalid("--model must be default or dlib, got '" + v + "'");
        };
        modelGiven = true;
    }

    /** For commands that work with the default model's vectors only: --model dlib is refused, not ignored. */
    void requireDefaultModel(String command) {
        if (model != EmbeddingModel.DEFAULT) {
            throw invalid(command + " works with the default model only; dlib's figures are DlibAccuracyTest's (see "
                    + "the README)");
        }
    }

    /** The vectors to make: the model's (the engine adds what its quality gate needs). */
    Set<EmbeddingModel> models() {
        return EnumSet.of(model);
    }

    /**
     * The threshold for {@code m}'s metric: --threshold when given (checked against the metric), else
     * {@code galleryThreshold}, else the model's default.
     */
    double threshold(EmbeddingModel m, Double galleryThreshold) {
        if (thresholdGiven) {
            if (m.metric() == Metric.EUCLIDEAN && threshold < 0) {
                throw invalid("--threshold must be between 0 and 1 for dlib vectors (a Euclidean distance), got "
                        + threshold);
            }
            return threshold;
        }
        return galleryThreshold != null ? galleryThreshold : m.defaultThreshold();
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
