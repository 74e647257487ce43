package io.facerec.recognizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryFiles;
import io.facerec.model.gallery.GalleryInfo;
import io.facerec.model.gallery.PersonNames;
import io.facerec.model.match.FaceMatcher;
import io.facerec.model.match.Match;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FaceModels;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.image.ImageDecodeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code face}: enrol people into a gallery, recognise images against it, and measure the engine
 * on a folder of labelled photos.
 */
public final class FaceCommand {
    static final String USAGE = """
            usage: face enroll PEOPLE_DIR --out GALLERY_DIR
                   face recognize --gallery GALLERY_DIR IMAGE...
                   face eval IDENTITY_DIR... [--json]
            options: --threshold T (cosine, default %s)  --downscale F (default 1.0)
                     --min-face PX (default %d)  --models DIR (else FACE_MODELS_DIR, else the jar)
            """.formatted(FaceModels.DEFAULT_THRESHOLD, EngineConfig.DEFAULT_MIN_FACE_PX);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintStream out;
    private final PrintStream err;

    FaceCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new FaceCommand(System.out, System.err).run(args));
    }

    /** Exit code: 0 done, 1 nothing could be done, 2 usage. */
    int run(String[] args) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("face: " + e.getMessage());
            err.print(USAGE);
            return 2;
        }
        try (FaceEngine engine = FaceEngine.load(o.engineConfig(), o.modelsDir())) {
            return switch (o.command()) {
                case "enroll" -> enroll(engine, o);
                case "recognize" -> recognize(engine, o);
                case "eval" -> eval(engine, o);
                default -> throw new IllegalStateException(o.command());
            };
        } catch (IOException | IllegalArgumentException e) {
            err.println("face: " + e.getMessage());
            return 1;
        }
    }

    // ---- enroll

    private int enroll(FaceEngine engine, Options o) throws IOException {
        Path people = o.positional().get(0);
        Map<String, List<Path>> photos = photosByPerson(people);
        if (photos.isEmpty()) {
            err.println("face: " + people + ": no PEOPLE_DIR/<name>/*.jpg|png photos found");
            return 1;
        }
        List<String> labels = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int skipped = 0;
        for (var entry : photos.entrySet()) {
            // the same rules as enroll/<name>/ in S3: one person per name in NFC, no reserved names
            String name = PersonNames.normalise(entry.getKey());
            var bad = PersonNames.problem(name);
            if (bad.isPresent()) {
                skipped += entry.getValue().size();
                err.println("skipped " + people + "/" + PersonNames.quoted(entry.getKey()) + ": the name " + bad.get());
                continue;
            }
            int used = 0;
            for (Path photo : entry.getValue()) {
                String why;
                try {
                    FrameAnalysis a = engine.analyze(Files.readAllBytes(photo), photo.toString());
                    if (a.faces().size() == 1) {
                        labels.add(name);
                        rows.add(a.faces().get(0).embedding());
                        used++;
                        continue;
                    }
                    why = a.faces().isEmpty() ? "no face found" : a.faces().size() + " faces found, need exactly one";
                } catch (ImageDecodeException e) {
                    why = e.getMessage().substring(photo.toString().length() + 2);
                }
                skipped++;
                err.println("skipped " + photo + ": " + why);
            }
            err.println("enrolled " + entry.getKey() + ": " + used + " of " + entry.getValue().size() + " photos");
        }
        if (rows.isEmpty()) {
            err.println("face: no photo had exactly one face; gallery not written");
            return 1;
        }
        Gallery g = new Gallery(labels, FloatMatrix.ofRows(engine.dimension(), rows),
                new GalleryInfo(engine.modelId(), engine.dimension(), GalleryInfo.COSINE, o.threshold()));
        GalleryFiles.write(o.out(), g);
        err.println("wrote " + o.out() + ": " + rows.size() + " samples of "
                + labels.stream().distinct().count() + " people; " + skipped + " photos skipped");
        return 0;
    }

    // ---- recognize

    private int recognize(FaceEngine engine, Options o) throws IOException {
        List<String> problems = new ArrayList<>();
        Gallery gallery = GalleryFiles.read(o.gallery(), problems);
        problems.forEach(p -> err.println("face: " + p));
        gallery.requireCompatible(engine.modelId(), engine.dimension(), o.gallery().toString());
        double threshold = o.thresholdGiven() ? o.threshold()
                : gallery.info() != null && gallery.info().threshold() != null ? gallery.info().threshold() : o.threshold();
        FaceMatcher matcher = new FaceMatcher(gallery, threshold);
        int done = 0;
        for (Path image : o.positional()) {
            ObjectNode line = JSON.createObjectNode().put("file", image.toString());
            try {
                long t0 = System.nanoTime();
                FrameAnalysis a = engine.analyze(Files.readAllBytes(image), image.toString());
                line.put("width", a.width()).put("height", a.height());
                ArrayNode faces = line.putArray("faces");
                for (DetectedFace f : a.faces()) {
                    Match m = matcher.match(f.embedding());
                    ObjectNode face = faces.addObject();
                    face.putObject("box").put("left", Math.round(f.box().left())).put("top", Math.round(f.box().top()))
                            .put("right", Math.round(f.box().right())).put("bottom", Math.round(f.box().bottom()));
                    face.put("score", round(f.score())).put("quality", round(f.quality())).put("label", m.label())
                            .put("similarity", round(m.similarity())).put("margin", round(m.margin()));
                }
                line.put("ms", round((System.nanoTime() - t0) / 1e6));
                done++;
            } catch (ImageDecodeException e) {
                line.put("error", e.getMessage());
            } catch (IOException e) {
                line.put("error", image + ": cannot read (" + e.getMessage() + ")");
            }
            out.println(JSON.writeValueAsString(line));
        }
        return done > 0 ? 0 : 1;
    }

    // ---- eval

    private int eval(FaceEngine engine, Options o) throws IOException {
        // several folders pool their people (names are taken as distinct per folder)
        Map<String, List<Path>> photos = new LinkedHashMap<>();
        for (Path dir : o.positional()) {
            photosByPerson(dir).forEach((name, files) -> photos.put(dir.getFileName() + "/" + name, files));
        }
        String dir = o.positional().toString();
        List<String> who = new ArrayList<>();
        List<float[]> emb = new ArrayList<>();
        int failed = 0;
        for (var entry : photos.entrySet()) {
            for (Path photo : entry.getValue()) {
                try {
                    FrameAnalysis a = engine.analyze(Files.readAllBytes(photo), photo.toString());
                    // the photo's subject: its most confident face, the largest among equals
                    var face = a.faces().stream().max(Comparator.comparingDouble((DetectedFace f) -> f.score())
                            .thenComparingDouble(f -> f.box().area()));
                    if (face.isPresent()) {
                        who.add(entry.getKey());
                        emb.add(face.get().embedding());
                        continue;
                    }
                    err.println("no face: " + photo);
                } catch (ImageDecodeException e) {
                    err.println(e.getMessage());
                }
                failed++;
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
            err.println("face: " + dir + ": need at least two people and one person with two photos");
            return 1;
        }
        LeaveOneOut loo = LeaveOneOut.of(who, emb);
        VerificationStats st = new VerificationStats(
                genuine.stream().mapToDouble(Double::doubleValue).toArray(),
                impostor.stream().mapToDouble(Double::doubleValue).toArray());
        double[] best = st.bestAccuracy();
        double[] at = st.tarAtFar(0.001);
        double t = o.threshold();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("photos", emb.size());
        r.put("people", photos.size());
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
        if (o.json()) {
            out.println(JSON.writeValueAsString(r));
        } else {
            r.forEach((k, v) -> out.println(String.format(Locale.ROOT, "%-22s %s", k,
                    v instanceof Double d ? String.format(Locale.ROOT, "%.4f", d) : v)));
        }
        return 0;
    }

    static Map<String, List<Path>> photosByPerson(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a folder");
        }
        Map<String, List<Path>> out = new LinkedHashMap<>();
        try (Stream<Path> people = Files.list(root)) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(person)) {
                    List<Path> imgs = files.filter(Files::isRegularFile).filter(FaceCommand::isImageName).sorted().toList();
                    if (!imgs.isEmpty()) {
                        out.put(person.getFileName().toString(), imgs);
                    }
                }
            }
        }
        return out;
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }

    record Options(String command, List<Path> positional, Path out, Path gallery, double threshold,
                   boolean thresholdGiven, double downscale, int minFace, Path modelsDir, boolean json) {
        EngineConfig engineConfig() {
            return EngineConfig.defaults().withDownscale(downscale).withMinFacePx(minFace);
        }

        static Options parse(String[] args) {
            if (args.length == 0) {
                throw new IllegalArgumentException("no command");
            }
            String cmd = args[0];
            if (!List.of("enroll", "recognize", "eval").contains(cmd)) {
                throw new IllegalArgumentException("unknown command '" + cmd + "'");
            }
            List<Path> pos = new ArrayList<>();
            Path out = null;
            Path gallery = null;
            Double threshold = null;
            double downscale = 1.0;
            int minFace = EngineConfig.DEFAULT_MIN_FACE_PX;
            String env = System.getenv("FACE_MODELS_DIR");
            Path models = env == null || env.isBlank() ? null : Path.of(env);
            boolean json = false;
            for (int i = 1; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--gallery" -> gallery = Path.of(value(args, ++i, a));
                    case "--threshold" -> threshold = number(value(args, ++i, a), a);
                    case "--downscale" -> downscale = number(value(args, ++i, a), a);
                    case "--min-face" -> minFace = (int) number(value(args, ++i, a), a);
                    case "--models" -> models = Path.of(value(args, ++i, a));
                    case "--json" -> json = true;
                    default -> {
                        if (a.startsWith("--")) {
                            throw new IllegalArgumentException("unknown option " + a);
                        }
                        pos.add(Path.of(a));
                    }
                }
            }
            switch (cmd) {
                case "enroll" -> {
                    if (pos.size() != 1 || out == null) {
                        throw new IllegalArgumentException("enroll needs PEOPLE_DIR and --out GALLERY_DIR");
                    }
                }
                case "recognize" -> {
                    if (pos.isEmpty() || gallery == null) {
                        throw new IllegalArgumentException("recognize needs --gallery GALLERY_DIR and at least one IMAGE");
                    }
                }
                default -> {
                    if (pos.isEmpty()) {
                        throw new IllegalArgumentException("eval needs at least one IDENTITY_DIR");
                    }
                }
            }
            double t = threshold == null ? FaceModels.DEFAULT_THRESHOLD : threshold;
            return new Options(cmd, pos, out, gallery, t, threshold != null, downscale, minFace, models, json);
        }

        private static String value(String[] args, int i, String opt) {
            if (i >= args.length) {
                throw new IllegalArgumentException(opt + " needs a value");
            }
            return args[i];
        }

        private static double number(String v, String opt) {
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(opt + " takes a number, got '" + v + "'");
            }
        }
    }
}
