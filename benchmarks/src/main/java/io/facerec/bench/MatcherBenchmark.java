package io.facerec.bench;

import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.match.FaceMatcher;
import io.facerec.model.match.Match;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** One 512-number query against galleries of random unit vectors, 5 samples per person. */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class MatcherBenchmark {
    @Param({"1000", "100000"})
    public int rows;

    private FaceMatcher matcher;
    private float[] query;

    @Setup(Level.Trial)
    public void setUp() {
        Random rnd = new Random(1);
        int dim = 512;
        float[] data = new float[rows * dim];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rnd.nextGaussian();
        }
        String[] labels = new String[rows];
        Arrays.setAll(labels, i -> "person" + i / 5);
        matcher = new FaceMatcher(new Gallery(Arrays.asList(labels), new FloatMatrix(rows, dim, data), null), 0.5);
        query = new float[dim];
        for (int i = 0; i < dim; i++) {
            query[i] = (float) rnd.nextGaussian();
        }
    }

    @Benchmark
    public Match match() {
        return matcher.match(query);
    }
}
