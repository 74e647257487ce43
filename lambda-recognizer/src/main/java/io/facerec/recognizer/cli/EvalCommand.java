package io.facerec.recognizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.recognizer.engine.Box;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.image.ImageDecodeException;
import io.facerec.recognizer.image.ImageDecoder;
import io.facerec.recognizer.image.RgbImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code face eval}: verification figures over every pair of labelled photos. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = FaceCommand.Version.class,
        description = {"Pairs every photo of IDENTITY_DIR/<name>/ with every other and prints ROC AUC, the best "
                + "accuracy and its threshold, TAR at FAR 0 and 0.1%%, TAR/FAR at the threshold, leave-one-out rank-1, "
                + "the hardest impostor and the weakest genuine pair, then a table threshold -> TAR/FAR. Several "
                + "folders pool their people.",
            "--target-far F adds the lowest threshold whose FAR is at most F, --plot draws the score histograms and "
                    + "the ROC curve, --face-height measures small faces: each photo shrunk so its face is that "
                    + "tall, pasted into a 640x480 JPEG frame, against the full-size photos of everyone.",
            "Progress goes to stderr; the figures to stdout."})
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The table's fixed rows; the threshold and the target FAR's threshold are added. */
    static final double[] TABLE = {0.30, 0.35, 0.40, 0.45, 0.50, 0.55, 0.60};

    @ParentCommand
    FaceCommand face;
    @Mixin
    EngineOptions engine;
    @Spec
    CommandSpec spec;
    @Parameters(paramLabel = "IDENTITY_DIR", arity = "1..*", description = "folders of <name>/ photo folders")
    List<Path> dirs;
    @Option(names = "--json", description = "the figures as one JSON object")
    boolean json;
    Double targetFar;
    @Option(names = "--plot", paramLabel = "FILE.svg",
            description = "write the genuine and impostor histograms with the threshold, and the ROC curve, as SVG")
    Path plot;
    List<Integer> faceHeights = List.of();

    @Option(names = "--target-far", paramLabel = "F",
            description = "also print the lowest threshold whose false accept rate is at most F, 0 < F < 1 (e.g. 0.001)")
    void targetFar(String v) {
        double f;
        try {
            f = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--target-far takes a number, got '" + v + "'");
        }
        if (!(f > 0 && f < 1)) {
            throw new ParameterException(spec.commandLine(), "--target-far must be more than 0 and less than 1, got " + v);
        }
        targetFar = f;
    }

    @Option(names = "--face-height", paramLabel = "PX[,PX...]",
            description = "measure faces this many pixels tall (e.g. 40,64,96) in 640x480 frames against the full-size photos")
    void faceHeights(String v) {
        List<Integer> out = new ArrayList<>();
        for (String p : v.split(",")) {
            try {
                int px = Integer.parseInt(p.trim());
                if (px < 8 || px > SmallFaces.HEIGHT) {
                    throw new NumberFormatException();
                }
                out.add(px);
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(),
                        "--face-height takes pixel heights from 8 to " + SmallFaces.HEIGHT + ", comma-separated, got '" + v + "'");
            }
        }
        faceHeights = List.copyOf(out);
    }

    /** A photo's subject: its person, its most confident face (the largest among equals) and the file. */
    record Subject(String person, Path photo, Box box, float[] embedding) {
    }

    @Override
    public Integer call() throws Exception {
        PrintStream err = face.err;
        engine.requireDefaultModel("eval");
        // several folders pool their people (names are taken as distinct per folder)
        Map<String, List<Path>> photos = new LinkedHashMap<>();
        for (Path dir : dirs) {
            PhotoFolders.photosByPerson(dir).forEach((name, files) -> photos.put(dir.getFileName() + "/" + name, files));
        }
        if (plot != null && plot.getParent() != null && !Files.isDirectory(plot.getParent())) {
            throw new IOException(plot + ": its folder does not exist");
        }
        int total = PhotoFolders.count(photos);
        int n = 0;
        List<Subject> subjects = new ArrayList<>();
        int failed = 0;
        Map<String, Object> r;
        try (FaceEngine e = engine.load()) {
            for (var entry : photos.entrySet()) {
                for (Path photo : entry.getValue()) {
                    String progress = "[" + ++n + "/" + total + "] ";
                    try {
                        var subject = subject(e.analyze(Files.readAllBytes(photo), photo.toString()));
                        if (subject != null) {
                            subjects.add(new Subject(entry.getKey(), photo, subject.box(), subject.embedding()));
                            err.println(progress + photo);
                            continue;
                        }
                        err.println(progress + "no face: " + photo);
                    } catch (ImageDecodeException ex) {
                        err.println(progress + ex.getMessage());
                    }
                    failed++;
                }
            }
            List<Double> genuine = new ArrayList<>();
            List<Double> impostor = new ArrayList<>();
            for (int i = 0; i < subjects.size(); i++) {
                for (int j = i + 1; j < subjects.size(); j++) {
                    double s = LeaveOneOut.dot(subjects.get(i).embedding(), subjects.get(j).embedding());
                    (subjects.get(i).person().equals(subjects.get(j).person()) ? genuine : impostor).add(s);
                }
            }
            if (genuine.isEmpty() || impostor.isEmpty()) {
                err.println("face: " + dirs + ": need at least two people and one person with two photos");
                return 1;
            }
            VerificationStats st = stats(genuine, impostor);
            r = figures(photos.size(), failed, subjects, st);
            if (plot != null) {
                List<ScorePlot.Marker> markers = new ArrayList<>();
                markers.add(new ScorePlot.Marker("threshold", engine.threshold));
                if (targetFar != null) {
                    markers.add(new ScorePlot.Marker("FAR " + percent(targetFar), (double) r.get("thresholdAtTargetFar")));
                }
                Files.writeString(plot, ScorePlot.svg(st, markers, subjects.size() + " photos of " + photos.size()
                        + " people: " + String.join(", ", dirs.stream().map(Path::toString).toList())), StandardCharsets.UTF_8);
                err.println("wrote " + plot);
            }
            if (!faceHeights.isEmpty()) {
                List<Map<String, Object>> small = new ArrayList<>();
                for (int h : faceHeights) {
                    small.add(smallFaces(e, subjects, h));
                }
                r.put("smallFaces", small);
            }
        }
        print(r);
        return 0;
    }

    private static DetectedFace subject(FrameAnalysis a) {
        return a.faces().stream().max(Comparator.comparingDouble((DetectedFace f) -> f.score())
                .thenComparingDouble(f -> f.box().area())).orElse(null);
    }

    private static VerificationStats stats(List<Double> genuine, List<Double> impostor) {
        return new VerificationStats(genuine.stream().mapToDouble(Double::doubleValue).toArray(),
                impostor.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private Map<String, Object> figures(int people, int failed, List<Subject> subjects, VerificationStats st) {
        LeaveOneOut loo = LeaveOneOut.of(subjects.stream().map(Subject::person).toList(),
                subjects.stream().map(Subject::embedding).toList());
        double[] best = st.bestAccuracy();
        double[] at = st.tarAtFar(0.001);
        double[] atZero = st.tarAtFar(0);
        double t = engine.threshold;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("photos", subjects.size());
        r.put("people", people);
        r.put("photosWithoutFace", failed);
        r.put("genuinePairs", st.genuineCount());
        r.put("impostorPairs", st.impostorCount());
        r.put("rocAuc", st.rocAuc());
        r.put("bestAccuracy", best[0]);
        r.put("bestAccuracyThreshold", best[1]);
        r.put("tarAtFar0", atZero[0]);
        r.put("thresholdAtFar0", atZero[1]);
        r.put("tarAtFar0.1%", at[0]);
        r.put("thresholdAtFar0.1%", at[1]);
        if (targetFar != null) {
            double[] target = st.tarAtFar(targetFar);
            r.put("targetFar", targetFar);
            r.put("thresholdAtTargetFar", target[1]);
            r.put("tarAtTargetFar", target[0]);
            r.put("farAtTargetFar", st.far(target[1]));
            // a FAR of F needs about 1/F different-person pairs to be seen at all
            boolean measurable = st.impostorCount() * targetFar >= 1;
            r.put("targetFarMeasurable", measurable);
            crossValidate(subjects, targetFar, r);
            if (!measurable) {
                face.err.printf(Locale.ROOT, "face: a FAR of %s needs at least %d different-person pairs to measure; these "
                        + "photos give %d, so the threshold printed is only the hardest impostor's and may be too low: "
                        + "add photos of more people%n", percent(targetFar), (long) Math.ceil(1 / targetFar), st.impostorCount());
            }
        }
        r.put("threshold", t);
        r.put("tarAtThreshold", st.tar(t));
        r.put("farAtThreshold", st.far(t));
        r.put("falseAcceptsAtThreshold", st.falseAccepts(t));
        r.put("falseRejectsAtThreshold", st.falseRejects(t));
        r.put("rank1Probes", loo.probes());
        r.put("rank1", loo.rank1());
        r.put("hardestImpostor", st.hardestImpostor());
        r.put("weakestGenuine", st.weakestGenuine());
        TreeSet<Double> rows = new TreeSet<>();
        for (double v : TABLE) {
            rows.add(v);
        }
        rows.add(t);
        if (targetFar != null) {
            rows.add((Double) r.get("thresholdAtTargetFar"));
        }
        List<Map<String, Object>> table = new ArrayList<>();
        for (double v : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("threshold", v);
            row.put("tar", st.tar(v));
            row.put("far", st.far(v));
            row.put("falseAccepts", st.falseAccepts(v));
            row.put("falseRejects", st.falseRejects(v));
            table.add(row);
        }
        r.put("table", table);
        return r;
    }

    /**
     * Leave one person out: the target FAR's threshold chosen on the pairs of everyone else, applied to
     * the left-out person's pairs (same-person, and with everyone else), over every person in turn.
     * People never seen when choosing: how the threshold holds on people it was not chosen on.
     */
    private static void crossValidate(List<Subject> subjects, double far, Map<String, Object> r) {
        int n = subjects.size();
        double[][] sim = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                sim[i][j] = LeaveOneOut.dot(subjects.get(i).embedding(), subjects.get(j).embedding());
            }
        }
        int folds = 0;
        int genuine = 0;
        int genuineAccepted = 0;
        int impostor = 0;
        int impostorAccepted = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (String out : subjects.stream().map(Subject::person).distinct().toList()) {
            List<Double> trainGenuine = new ArrayList<>();
            List<Double> trainImpostor = new ArrayList<>();
            List<double[]> test = new ArrayList<>(); // similarity, 1 for same person
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    boolean same = subjects.get(i).person().equals(subjects.get(j).person());
                    boolean involved = subjects.get(i).person().equals(out) || subjects.get(j).person().equals(out);
                    if (involved) {
                        test.add(new double[] {sim[i][j], same ? 1 : 0});
                    } else {
                        (same ? trainGenuine : trainImpostor).add(sim[i][j]);
                    }
                }
            }
            if (trainGenuine.isEmpty() || trainImpostor.isEmpty()) {
                continue;
            }
            double t = stats(trainGenuine, trainImpostor).tarAtFar(far)[1];
            folds++;
            lo = Math.min(lo, t);
            hi = Math.max(hi, t);
            for (double[] p : test) {
                boolean accepted = p[0] >= t;
                if (p[1] == 1) {
                    genuine++;
                    genuineAccepted += accepted ? 1 : 0;
                } else {
                    impostor++;
                    impostorAccepted += accepted ? 1 : 0;
                }
            }
        }
        r.put("leaveOnePersonOutFolds", folds);
        r.put("leaveOnePersonOutThresholdMin", lo);
        r.put("leaveOnePersonOutThresholdMax", hi);
        r.put("leaveOnePersonOutTar", genuine == 0 ? Double.NaN : (double) genuineAccepted / genuine);
        r.put("leaveOnePersonOutFar", impostor == 0 ? Double.NaN : (double) impostorAccepted / impostor);
        r.put("leaveOnePersonOutFalseAccepts", impostorAccepted + "/" + impostor);
    }

    /**
     * Each subject's photo shrunk so its face is {@code height} px, in a 640x480 frame, matched against
     * every other full-size subject. A probe whose face is not found (or not kept by the gates and
     * MIN_FACE_PX) accepts nothing: its same-person pairs count as rejected.
     */
    private Map<String, Object> smallFaces(FaceEngine e, List<Subject> subjects, int height) throws IOException {
        ImageDecoder decoder = new ImageDecoder();
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        List<Double> boxes = new ArrayList<>();
        int found = 0;
        long nanos = 0;
        int n = 0;
        for (Subject p : subjects) {
            face.err.println("[" + ++n + "/" + subjects.size() + "] " + height + " px: " + p.photo());
            RgbImage photo;
            try {
                photo = decoder.decode(Files.readAllBytes(p.photo()), p.photo().toString());
            } catch (ImageDecodeException ex) {
                throw new IOException(ex.getMessage(), ex); // it was read a moment ago
            }
            SmallFaces.Frame f = SmallFaces.frame(photo, p.box(), height);
            long t0 = System.nanoTime();
            FrameAnalysis a;
            try {
                a = e.analyze(f.jpeg(), p.photo() + " at " + height + " px");
            } catch (ImageDecodeException ex) {
                throw new IOException(ex.getMessage(), ex);
            }
            nanos += System.nanoTime() - t0;
            DetectedFace probe = null;
            float bestIou = 0.3f;
            for (DetectedFace d : a.faces()) {
                float iou = d.box().iou(f.face());
                if (iou > bestIou) {
                    bestIou = iou;
                    probe = d;
                }
            }
            if (probe != null) {
                found++;
                boxes.add((double) probe.box().height());
            }
            for (Subject g : subjects) {
                if (g == p) {
                    continue;
                }
                double s = probe == null ? -1 : LeaveOneOut.dot(probe.embedding(), g.embedding());
                (g.person().equals(p.person()) ? genuine : impostor).add(s);
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("faceHeight", height);
        r.put("probes", subjects.size());
        r.put("found", found);
        r.put("boxHeightMedian", boxes.isEmpty() ? Double.NaN : boxes.stream().sorted().toList().get(boxes.size() / 2));
        r.put("msPerFrame", nanos / 1e6 / Math.max(1, subjects.size()));
        if (genuine.isEmpty() || impostor.isEmpty()) {
            return r;
        }
        VerificationStats st = stats(genuine, impostor);
        double[] zero = st.tarAtFar(0);
        r.put("genuinePairs", st.genuineCount());
        r.put("impostorPairs", st.impostorCount());
        r.put("tarAtFar0", zero[0]);
        r.put("thresholdAtFar0", zero[1]);
        r.put("threshold", engine.threshold);
        r.put("tarAtThreshold", st.tar(engine.threshold));
        r.put("farAtThreshold", st.far(engine.threshold));
        r.put("falseAcceptsAtThreshold", st.falseAccepts(engine.threshold));
        return r;
    }

    @SuppressWarnings("unchecked")
    private void print(Map<String, Object> r) throws Exception {
        if (json) {
            face.out.println(JSON.writeValueAsString(r));
            return;
        }
        PrintStream o = face.out;
        r.forEach((k, v) -> {
            if (!(v instanceof List)) {
                o.println(String.format(Locale.ROOT, "%-22s %s", k, v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v));
            }
        });
        o.println();
        o.printf(Locale.ROOT, "%-10s %-8s %-8s %-15s %s%n", "threshold", "TAR", "FAR", "false accepts", "false rejects");
        for (Map<String, Object> row : (List<Map<String, Object>>) r.get("table")) {
            double t = (Double) row.get("threshold");
            String mark = t == engine.threshold ? "  <- threshold" : "";
            if (r.containsKey("thresholdAtTargetFar") && t == (Double) r.get("thresholdAtTargetFar")) {
                mark += "  <- FAR " + percent((Double) r.get("targetFar"));
            }
            o.printf(Locale.ROOT, "%-10.4f %-8.4f %-8.5f %-15s %s%s%n", t, row.get("tar"), row.get("far"),
                    row.get("falseAccepts") + "/" + r.get("impostorPairs"), row.get("falseRejects") + "/" + r.get("genuinePairs"), mark);
        }
        if (r.containsKey("smallFaces")) {
            o.println();
            o.printf(Locale.ROOT, "small faces: each photo shrunk, in a 640x480 JPEG (q %.1f), against the full-size photos%n",
                    SmallFaces.JPEG_QUALITY);
            o.printf(Locale.ROOT, "%-7s %-12s %-9s %-9s %-15s %-9s %-9s %s%n", "height", "found", "box p50", "TAR@FAR0",
                    "threshold@FAR0", "TAR@T", "FAR@T", "ms/frame");
            for (Map<String, Object> s : (List<Map<String, Object>>) r.get("smallFaces")) {
                o.printf(Locale.ROOT, "%-7s %-12s %-9.1f %-9.4f %-15.4f %-9.4f %-9.5f %.1f%n", s.get("faceHeight") + " px",
                        s.get("found") + "/" + s.get("probes"), s.get("boxHeightMedian"), s.getOrDefault("tarAtFar0", Double.NaN),
                        s.getOrDefault("thresholdAtFar0", Double.NaN), s.getOrDefault("tarAtThreshold", Double.NaN),
                        s.getOrDefault("farAtThreshold", Double.NaN), s.get("msPerFrame"));
            }
        }
    }

    private static String percent(double f) {
        return new java.math.BigDecimal(f * 100).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString() + "%";
    }
}
