package io.facerec.recognizer.engine;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the three ONNX models from a local folder or from the jar. Never from a model hub.
 * ONNX Runtime gets one intra-op thread with spinning off: on a 1-2 vCPU Lambda, extra or
 * spinning threads only steal time from the work.
 */
public final class FaceModels implements AutoCloseable {
    public static final String MODEL_SET = "faceplugin-0.0.1";
    /** Identifies the vectors this engine makes; galleries record it. */
    public static final String EMBEDDING_MODEL_ID = MODEL_SET + "/fr_feature";
    public static final int EMBEDDING_DIM = 512;
    /** Cosine similarity at which a face is taken as its best gallery label (see README). */
    public static final double DEFAULT_THRESHOLD = 0.5;
    static final String CLASSPATH_DIR = "models/" + MODEL_SET + "/";

    static {
        // DJL would otherwise phone the EC2 metadata endpoint at start
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    final Model detector;
    final Model landmarks;
    final Model embedder;

    private FaceModels(Model detector, Model landmarks, Model embedder) {
        this.detector = detector;
        this.landmarks = landmarks;
        this.embedder = embedder;
    }

    /** From {@code dir} when given (FACE_MODELS_DIR), otherwise from the jar. */
    public static FaceModels load(Path dir) throws IOException {
        Model d = null;
        Model l = null;
        try {
            d = loadOne("fr_detect", dir);
            l = loadOne("fr_landmark", dir);
            Model e = loadOne("fr_feature", dir);
            return new FaceModels(d, l, e);
        } catch (IOException | RuntimeException ex) {
            if (d != null) {
                d.close();
            }
            if (l != null) {
                l.close();
            }
            throw ex;
        }
    }

    private static Model loadOne(String name, Path dir) throws IOException {
        Model model = Model.newInstance(name, "OnnxRuntime");
        try (InputStream in = open(name + ".onnx", dir)) {
            model.load(in, Map.of("sessionOptions", sessionOptions()));
            return model;
        } catch (MalformedModelException | OrtException e) {
            model.close();
            throw new IOException("model " + name + " cannot be loaded: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static InputStream open(String file, Path dir) throws IOException {
        if (dir != null) {
            Path p = dir.resolve(file);
            if (!Files.isRegularFile(p)) {
                throw new IOException("model file " + p + " not found (FACE_MODELS_DIR=" + dir + ")");
            }
            return Files.newInputStream(p);
        }
        InputStream in = FaceModels.class.getClassLoader().getResourceAsStream(CLASSPATH_DIR + file);
        if (in == null) {
            throw new IOException("model " + CLASSPATH_DIR + file + " is not on the classpath; build with "
                    + "'mvn package' (it fetches the models) or set FACE_MODELS_DIR");
        }
        return in;
    }

    private static OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        so.setIntraOpNumThreads(1);
        so.setInterOpNumThreads(1);
        so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        so.addConfigEntry("session.intra_op.allow_spinning", "0");
        so.addConfigEntry("session.inter_op.allow_spinning", "0");
        return so;
    }

    @Override
    public void close() {
        detector.close();
        landmarks.close();
        embedder.close();
    }
}
