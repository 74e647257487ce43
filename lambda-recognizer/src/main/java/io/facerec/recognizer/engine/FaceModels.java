package io.facerec.recognizer.engine;

import io.facerec.model.match.Metric;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads the ONNX models from a local folder or from the jar. Never from a model hub: the three of
 * the default set, and dlib's face descriptor (converted at build time by the dlib-model module).
 * ONNX Runtime gets one intra-op thread with spinning off: on a 1-2 vCPU Lambda, extra or
 * spinning threads only steal time from the work.
 */
public final class FaceModels implements AutoCloseable {
    public static final String MODEL_SET = "faceplugin-0.0.1";
    /** Identifies the vectors this engine makes; galleries record it. */
    public static final String EMBEDDING_MODEL_ID = MODEL_SET + "/fr_feature";
    public static final int EMBEDDING_DIM = 512;
    /** Cosine similarity at which a face is taken as its best gallery label (see {@link Metric#COSINE}). */
    public static final double DEFAULT_THRESHOLD = Metric.COSINE_DEFAULT_THRESHOLD;
    static final String CLASSPATH_DIR = "models/" + MODEL_SET + "/";

    /** The npm package the dlib ResNet weights come from. */
    public static final String DLIB_MODEL_SET = "face-api-1.7.15";
    /** Identifies dlib-compatible vectors (Python face_recognition's); galleries record it. */
    public static final String DLIB_MODEL_ID = "dlib-resnet-v1/" + DLIB_MODEL_SET;
    public static final int DLIB_DIM = 128;
    /** Euclidean distance at or below which a face is its best gallery label, as face_recognition's default. */
    public static final double DLIB_THRESHOLD = Metric.EUCLIDEAN_DEFAULT_THRESHOLD;
    static final String DLIB_FILE = "dlib_resnet_v1.onnx";
    static final String DLIB_CLASSPATH_DIR = "models/" + DLIB_MODEL_SET + "/";

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
    final Model dlib;

    private FaceModels(Model detector, Model landmarks, Model embedder, Model dlib) {
        this.detector = detector;
        this.landmarks = landmarks;
        this.embedder = embedder;
        this.dlib = dlib;
    }

    /** From {@code dir} when given (FACE_MODELS_DIR), otherwise from the jar. */
    public static FaceModels load(Path dir) throws IOException {
        List<Model> loaded = new ArrayList<>();
        try {
            loaded.add(loadOne("fr_detect", open("fr_detect.onnx", dir)));
            loaded.add(loadOne("fr_landmark", open("fr_landmark.onnx", dir)));
            loaded.add(loadOne("fr_feature", open("fr_feature.onnx", dir)));
            // FACE_MODELS_DIR holds the default set; the converted dlib model is taken from there
            // only when someone put it there
            boolean dlibInDir = dir != null && Files.isRegularFile(dir.resolve(DLIB_FILE));
            loaded.add(loadOne("dlib_resnet_v1", open(DLIB_FILE, dlibInDir ? dir : null, DLIB_CLASSPATH_DIR)));
            return new FaceModels(loaded.get(0), loaded.get(1), loaded.get(2), loaded.get(3));
        } catch (IOException | RuntimeException ex) {
            loaded.forEach(Model::close);
            throw ex;
        }
    }

    private static Model loadOne(String name, InputStream stream) throws IOException {
        Model model = Model.newInstance(name, "OnnxRuntime");
        try (InputStream in = stream) {
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
        return open(file, dir, CLASSPATH_DIR);
    }

    private static InputStream open(String file, Path dir, String classpathDir) throws IOException {
        if (dir != null) {
            Path p = dir.resolve(file);
            if (!Files.isRegularFile(p)) {
                throw new IOException("model file " + p + " not found (FACE_MODELS_DIR=" + dir + ")");
            }
            return Files.newInputStream(p);
        }
        InputStream in = FaceModels.class.getClassLoader().getResourceAsStream(classpathDir + file);
        if (in == null) {
            throw new IOException("model " + classpathDir + file + " is not on the classpath; build with "
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
        dlib.close();
    }
}
