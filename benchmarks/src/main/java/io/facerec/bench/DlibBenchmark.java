package io.facerec.bench;

import io.facerec.recognizer.engine.DlibChip;
import io.facerec.recognizer.engine.EmbeddingModel;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.image.RgbImage;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What dlib's descriptor costs per face on one thread: cutting the 150x150 chip (with dlib's
 * pyramid where the face is large), the network, both, and the whole 640x480 frame with the dlib
 * descriptor asked for (the default embedding still runs as the quality gate).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Dai.djl.offline=true"})
public class DlibBenchmark {
    private FaceEngine engine;
    private byte[] frame;
    private RgbImage image;
    private float[] landmarks;
    private RgbImage chip;
    private final List<FrameAnalysis.StageTimes> times = new ArrayList<>();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        engine = FaceEngine.load(EngineConfig.defaults(), null);
        frame = BenchFrames.vgaFrameWithOneFace();
        image = new ImageDecoder().decode(frame, "frame");
        List<FaceEngine.LocatedFace> faces = engine.locate(image);
        if (faces.size() != 1) {
            throw new IllegalStateException("benchmark frame should hold one face, found " + faces.size());
        }
        landmarks = faces.get(0).landmarks68();
        chip = DlibChip.cut(image, landmarks);
    }

    @Setup(Level.Iteration)
    public void clear() {
        times.clear();
    }

    @Benchmark
    public RgbImage chipOnly() {
        return DlibChip.cut(image, landmarks);
    }

    @Benchmark
    public float[] descriptorOnly() {
        return engine.dlibDescriptor(chip);
    }

    @Benchmark
    public float[] chipAndDescriptor() {
        return engine.dlibDescriptor(DlibChip.cut(image, landmarks));
    }

    @Benchmark
    public FrameAnalysis wholeFrameWithDlib() throws Exception {
        FrameAnalysis a = engine.analyze(frame, "frame", EnumSet.of(EmbeddingModel.DLIB));
        times.add(a.times());
        return a;
    }

    @TearDown(Level.Trial)
    public void report() {
        if (!times.isEmpty()) {
            long[] dlib = times.stream().mapToLong(FrameAnalysis.StageTimes::dlibNanos).sorted().toArray();
            long[] total = times.stream().mapToLong(FrameAnalysis.StageTimes::totalNanos).sorted().toArray();
            System.out.printf(Locale.ROOT, "%nwhole frame with dlib, medians over %d frames (ms): dlib chip + descriptor %.2f,"
                    + " total %.2f%n", times.size(), dlib[dlib.length / 2] / 1e6, total[total.length / 2] / 1e6);
        }
        engine.close();
    }
}
