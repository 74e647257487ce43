package io.facerec.recognizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.image.ImageDecodeException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code face eval}: verification figures over every pair of labelled photos. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = FaceCommand.Version.class,
        description = {"Pairs every photo of IDENTITY_DIR/<name>/ with every other and prints ROC AUC, the best "
                + "accuracy and its threshold, TAR at FAR 0.1%, TAR/FAR at the threshold, leave-one-out rank-1, "
                + "the hardest impostor and the weakest genuine pair. Several folders pool their people.",
            "Progress goes to stderr; the figures to stdout."})
final class EvalCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    @ParentCommand
    FaceCommand face;
    @Mixin
    EngineOptions engine;
    @Parameters(paramLabel = "IDENTITY_DIR", arity = "1..*", description = "folders of <name>/ photo folders")
    List<Path> dirs;
    @Option(names = "--json", description = "the figures as one JSON object")
    boolean json;

    @Override
    public Integer call() throws Exception {
        PrintStream err = face.err;
        // several folders pool their people (names are taken as distinct per folder)
        Map<String, List<Path>> photos = new LinkedHashMap<>();
        for (Path dir : dirs) {
            PhotoFolders.photosByPerson(dir).forEach((name, files) -> photos.put(dir.getFileName() + "/" + name, files));
        }
        int total = PhotoFolders.count(photos);
        int n = 0;
        List<String> who = new ArrayList<>();
        List<float[]> emb = new ArrayList<>();
        int failed = 0;
        try (FaceEngine e = engine.load()) {
            for (var entry : photos.entrySet()) {
                for (Path photo : entry.getValue()) {
                    String progress = "[" + ++n + "/" + total + "] ";
                    try {
                        FrameAnalysis a = e.analyze(Files.readAllBytes(photo), photo.toString());
                        // the photo's subject: its most confident face, the largest among equals
                        var subject = a.faces().stream().max(Comparator.comparingDouble((DetectedFace f) -> f.score())
                                .thenComparingDouble(f -> f.box().area()));
                        if (subject.isPresent()) {
                            who.add(entry.getKey());
                            emb.add(subject.get().embedding());
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
        }
        List<Double> genuine = new ArrayList<>();
        List<Double> impostor = new ArrayList<>();
        for (int i = 0; i < emb.size(); i++) {
            for (int j = i + 1; j < emb.size(); j++) {
                double s = LeaveOneOut.dot(emb.get(i), emb.get(j));
                (who.get(i).equals(who.get(j)) ? genuine : impostor).add(s);
            }
        }
        if (genuine.isEmpty() || impostor.isEmpty()) {
            err.println("face: " + dirs + ": need at least two people and one person with two photos");
            return 1;
        }
        print(figures(photos.size(), failed, who, emb, genuine, impostor));
        return 0;
    }

    private Map<String, Object> figures(int people, int failed, List<String> who, List<float[]> emb,
                                        List<Double> genuine, List<Double> impostor) {
        LeaveOneOut loo = LeaveOneOut.of(who, emb);
        VerificationStats st = new VerificationStats(
                genuine.stream().mapToDouble(Double::doubleValue).toArray(),
                impostor.stream().mapToDouble(Double::doubleValue).toArray());
        double[] best = st.bestAccuracy();
        double[] at = st.tarAtFar(0.001);
        double t = engine.threshold;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("photos", emb.size());
        r.put("people", people);
        r.put("photosWithoutFace", failed);
        r.put("genuinePairs", st.genuineCount());
        r.put("impostorPairs", st.impostorCount());
        r.put("rocAuc", st.rocAuc());
        r.put("bestAccuracy", best[0]);
        r.put("bestAccuracyThreshold", best[1]);
        r.put("tarAtFar0.1%", at[0]);
        r.put("thresholdAtFar0.1%", at[1]);
        r.put("threshold", t);
        r.put("tarAtThreshold", st.tar(t));
        r.put("farAtThreshold", st.far(t));
        r.put("falseAcceptsAtThreshold", Math.round(st.far(t) * st.impostorCount()));
        r.put("rank1Probes", loo.probes());
        r.put("rank1", loo.rank1());
        r.put("hardestImpostor", impostor.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
        r.put("weakestGenuine", genuine.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
        return r;
    }

    private void print(Map<String, Object> r) throws Exception {
        if (json) {
            face.out.println(JSON.writeValueAsString(r));
        } else {
            r.forEach((k, v) -> face.out.println(String.format(Locale.ROOT, "%-22s %s", k,
                    v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v)));
        }
    }
}
