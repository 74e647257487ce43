package io.facerec.bench;

import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.image.ImageDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
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
 * One 640x480 JPEG frame with one face through the whole engine on one thread, decode included;
 * at the end each stage's median over the measured frames is printed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
    "-Dai.djl.offline=true"})
public class EngineBenchmark {
    private FaceEngine engine;
    private byte[] frame;
    private final List<FrameAnalysis.StageTimes> times = new ArrayList<>();
    private final ImageDecoder decoder = new ImageDecoder();

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        engine = FaceEngine.load(EngineConfig.defaults(), null);
        frame = BenchFrames.vgaFrameWithOneFace();
        int faces = engine.analyze(frame, "frame").faces().size();
        if (faces != 1) {
            throw new IllegalStateException("benchmark frame should hold one face, found " + faces);
        }
    }

    @Setup(Level.Iteration)
    public void clear() {
        times.clear();
    }

    @Benchmark
    public FrameAnalysis wholeFrame() throws Exception {
        FrameAnalysis a = engine.analyze(frame, "frame");
        times.add(a.times());
        return a;
    }

    @Benchmark
    public Object decodeOnly() throws Exception {
        return decoder.decode(frame, "frame");
    }

    @TearDown(Level.Trial)
    public void report() {
        if (!times.isEmpty()) {
            System.out.printf(Locale.ROOT, "%nstage medians over %d frames (ms): decode %.2f, detect %.2f, landmarks %.2f,"
                            + " align %.2f, embed %.2f, total %.2f%n", times.size(),
                    median(FrameAnalysis.StageTimes::decodeNanos), median(FrameAnalysis.StageTimes::detectNanos),
                    median(FrameAnalysis.StageTimes::landmarkNanos), median(FrameAnalysis.StageTimes::alignNanos),
                    median(FrameAnalysis.StageTimes::embedNanos), median(FrameAnalysis.StageTimes::totalNanos));
        }
        engine.close();
    }

    private double median(ToLongFunction<FrameAnalysis.StageTimes> f) {
        long[] v = times.stream().mapToLong(f).sorted().toArray();
        return v[v.length / 2] / 1e6;
    }
}
