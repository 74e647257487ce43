package io.facerec.recognizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.recognizer.cli.DetectionGates.Bound;
import io.facerec.recognizer.cli.DetectionGates.Candidate;
import io.facerec.recognizer.cli.DetectionGates.Choice;
import io.facerec.recognizer.cli.DetectionGates.Gates;
import io.facerec.recognizer.cli.DetectionGates.Image;
import io.facerec.recognizer.cli.DetectionGates.Outcome;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FaceModels;
import io.facerec.recognizer.image.ImageDecodeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code face gates}: the detector score cut and the quality gate chosen from labelled images. */
@Command(name = "gates", mixinStandardHelpOptions = true, versionProvider = FaceCommand.Version.class,
        description = {"Chooses the detector score cut (MIN_DETECTION_SCORE) and the quality gate (MIN_FACE_QUALITY) "
                + "from images known to show a face and images known to show none: the pair with the least "
                + "'faces missed + 10 x false faces', of those the fewest extra faces on one-person images, in the "
                + "middle of the region they form. Prints the region, "
                + "the detections at its edges, how the chosen gates and the current ones fare per source, and a "
                + "leave-one-image-out check.",
            "A --labels file has one frame per line: path (relative to the file), time, visible identity; "
                    + "UNCERTAIN is skipped, NONE shows no face, GROUP(...) several people, anything else one "
                    + "person. A first line starting "
                    + "'frame' or 'path' is a header."})
final class GatesCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The lowest detector score looked at: well under any cut the rule could choose. */
    static final float SCORE_FLOOR = 0.2f;

    @ParentCommand
    FaceCommand face;
    @Mixin
    EngineOptions engine;
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;
    @Option(names = "--faces", paramLabel = "DIR", description = "images that each show one person's face (any depth)")
    List<Path> faces = new ArrayList<>();
    @Option(names = "--groups", paramLabel = "DIR", description = "images that each show several people's faces (any depth)")
    List<Path> groups = new ArrayList<>();
    @Option(names = "--no-faces", paramLabel = "DIR", description = "images that show no human face (any depth)")
    List<Path> noFaces = new ArrayList<>();
    @Option(names = "--labels", paramLabel = "TSV", description = "frames labelled one per line (see above)")
    List<Path> labels = new ArrayList<>();
    @Option(names = "--json", description = "the figures as one JSON object")
    boolean json;

    /** An image, the source it came from, its name in that source and its label. */
    record Source(String source, Path image, String name, boolean showsFace, boolean onePerson) {
    }

    @Override
    public Integer call() throws Exception {
        if (faces.isEmpty() && groups.isEmpty() && labels.isEmpty() || noFaces.isEmpty() && labels.isEmpty()) {
            throw new ParameterException(spec.commandLine(),
                    "need images with faces (--faces, --groups or --labels) and images without (--no-faces or --labels)");
        }
        List<Source> sources = new ArrayList<>();
        for (Path d : faces) {
            PhotoFolders.imagesUnder(d).forEach(p -> sources.add(new Source(label(d), p, name(d, p), true, true)));
        }
        for (Path d : groups) {
            PhotoFolders.imagesUnder(d).forEach(p -> sources.add(new Source(label(d), p, name(d, p), true, false)));
        }
        for (Path d : noFaces) {
            PhotoFolders.imagesUnder(d).forEach(p -> sources.add(new Source(label(d), p, name(d, p), false, false)));
        }
        for (Path f : labels) {
            sources.addAll(labelled(f));
        }
        EngineConfig settings = engine.config();
        List<Image> images = collect(sources, settings);
        if (images.stream().noneMatch(Image::showsFace) || images.stream().allMatch(Image::showsFace)) {
            face.err.println("face: need readable images both with and without a face");
            return 1;
        }
        Choice c = DetectionGates.choose(images, SCORE_FLOOR);
        Gates current = new Gates(settings.minScore(), settings.minQuality());
        Outcome chosen = DetectionGates.evaluate(images, c.gates());
        Outcome now = DetectionGates.evaluate(images, current);
        List<String> loo = DetectionGates.leaveOneOut(images, SCORE_FLOOR);
        if (json) {
            face.out.println(JSON.writeValueAsString(json(images, settings, c, chosen, current, now, loo)));
        } else {
            print(images, settings, c, chosen, current, now, loo);
        }
        return 0;
    }

    /** Every detection from the score floor up, with the size gate as configured; unreadable images skipped. */
    private List<Image> collect(List<Source> sources, EngineConfig settings) throws IOException {
        List<Image> out = new ArrayList<>();
        int n = 0;
        try (FaceEngine e = FaceEngine.load(settings.withGates(SCORE_FLOOR, 0), engine.models)) {
            for (Source s : sources) {
                String progress = "[" + ++n + "/" + sources.size() + "] ";
                try {
                    List<Candidate> cs = new ArrayList<>();
                    for (DetectedFace f : e.analyze(Files.readAllBytes(s.image()), s.image().toString()).faces()) {
                        cs.add(new Candidate(f.score(), f.quality(), f.box().height()));
                    }
                    out.add(new Image(s.source(), s.name(), s.showsFace(), s.onePerson(), List.copyOf(cs)));
                    face.err.println(progress + s.image());
                } catch (ImageDecodeException ex) {
                    face.err.println(progress + "skipped: " + ex.getMessage());
                }
            }
        }
        return out;
    }

    private static String name(Path root, Path image) {
        return root.toAbsolutePath().normalize().getFileName() + "/" + root.relativize(image);
    }

    private static String label(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.getParent() == null ? abs.toString() : abs.getParent().getFileName() + "/" + abs.getFileName();
    }

    private List<Source> labelled(Path tsv) throws IOException {
        if (!Files.isRegularFile(tsv)) {
            throw new IOException(tsv + ": not a file");
        }
        List<Source> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(tsv);
        Path dir = tsv.toAbsolutePath().getParent();
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            if (f[0].isBlank() || (i == 0 && (f[0].equals("frame") || f[0].equals("path")))) {
                continue;
            }
            if (f.length < 3) {
                throw new IOException(tsv + ":" + (i + 1) + ": need path, time and visible identity separated by tabs");
            }
            String who = f[2].trim();
            if (who.equals("UNCERTAIN")) {
                continue;
            }
            boolean showsFace = !(who.isEmpty() || who.equals("NONE"));
            out.add(new Source(label(tsv), dir.resolve(f[0]), dir.getFileName() + "/" + f[0], showsFace,
                    showsFace && !who.startsWith("GROUP(")));
        }
        return out;
    }

    private void print(List<Image> images, EngineConfig settings, Choice c, Outcome chosen, Gates current, Outcome now,
                       List<String> loo) {
        PrintStream o = face.out;
        long withFace = images.stream().filter(Image::showsFace).count();
        o.printf(Locale.ROOT, "images: %d showing a face, %d showing none; %d detections (score >= %.2f, box >= %d px)%n",
                withFace, images.size() - withFace, images.stream().mapToInt(i -> i.candidates().size()).sum(),
                SCORE_FLOOR, settings.minFacePx());
        o.printf(Locale.ROOT, "least cost: %.0f (faces missed + %.0f x false faces), then %d extra face(s)%n", c.cost(),
                DetectionGates.FALSE_FACE_COST, c.extraFaces());
        o.printf(Locale.ROOT, "region: score (%.4f, %.4f] x quality (%.3f, %.3f]%s%n", c.scoreLow().value(),
                c.scoreHigh().value(), c.qualityLow().value(), c.qualityHigh().value(),
                c.rectangle() ? "" : " (not a rectangle: the run along each gate through its highest cut)");
        o.println("its edges:");
        o.println("  score above   " + describe(c.scoreLow()));
        o.println("  score up to   " + describe(c.scoreHigh()));
        o.println("  quality above " + describe(c.qualityLow()));
        o.println("  quality up to " + describe(c.qualityHigh()));
        o.printf(Locale.ROOT, "chosen: score >= %.4f (logit middle), quality >= %.4f (middle)%n", c.gates().minScore(),
                c.gates().minQuality());
        o.printf(Locale.ROOT, "%-28s %-18s %s%n", "source", "chosen", String.format(Locale.ROOT,
                "settings (score %.2f, quality %.2f)", current.minScore(), current.minQuality()));
        for (String src : chosen.bySource().keySet()) {
            o.printf(Locale.ROOT, "%-28s %-18s %s%n", src, fare(chosen.bySource().get(src)), fare(now.bySource().get(src)));
        }
        o.printf(Locale.ROOT, "%-28s %-18s %s%n", "missed / false / extra", chosen.facesMissed() + " / " + chosen.falseFaces()
                + " / " + chosen.extraFaces(), now.facesMissed() + " / " + now.falseFaces() + " / " + now.extraFaces());
        o.println("leave one image out: " + loo.size() + " of " + images.size() + " decided otherwise"
                + (loo.isEmpty() ? "" : ":"));
        loo.forEach(l -> o.println("  " + l));
    }

    private static String fare(int[] s) {
        return s[1] > 0 ? s[0] + "/" + s[1] + " found" + (s[3] > 0 ? ", " + s[3] + " extra" : "") : s[2] + " false faces";
    }

    private static String describe(Bound b) {
        if (b.candidate() == null) {
            return String.format(Locale.ROOT, "%.4f (end of the scale)", b.value());
        }
        Candidate k = b.candidate();
        return String.format(Locale.ROOT, "%.4f  %s (score %.4f, quality %.3f, %.0f px)", b.value(), b.image(),
                k.score(), k.quality(), k.height());
    }

    private Map<String, Object> json(List<Image> images, EngineConfig settings, Choice c, Outcome chosen, Gates current,
                                     Outcome now, List<String> loo) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("imagesWithFace", images.stream().filter(Image::showsFace).count());
        r.put("imagesWithoutFace", images.stream().filter(i -> !i.showsFace()).count());
        r.put("detections", images.stream().mapToInt(i -> i.candidates().size()).sum());
        r.put("scoreFloor", SCORE_FLOOR);
        r.put("minFacePx", settings.minFacePx());
        r.put("leastCost", c.cost());
        r.put("region", Map.of("scoreLow", bound(c.scoreLow()), "scoreHigh", bound(c.scoreHigh()),
                "qualityLow", bound(c.qualityLow()), "qualityHigh", bound(c.qualityHigh()), "rectangle", c.rectangle()));
        r.put("chosen", Map.of("minScore", c.gates().minScore(), "minQuality", c.gates().minQuality(),
                "facesMissed", chosen.facesMissed(), "falseFaces", chosen.falseFaces(), "extraFaces", chosen.extraFaces(),
                "bySource", bySource(chosen)));
        r.put("settings", Map.of("minScore", current.minScore(), "minQuality", current.minQuality(),
                "facesMissed", now.facesMissed(), "falseFaces", now.falseFaces(), "extraFaces", now.extraFaces(),
                "bySource", bySource(now)));
        r.put("leaveOneOut", Map.of("heldOut", images.size(), "decidedOtherwise", loo));
        r.put("modelSet", FaceModels.MODEL_SET);
        return r;
    }

    private static Map<String, Object> bound(Bound b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("value", b.value());
        m.put("image", b.image());
        return m;
    }

    private static Map<String, Object> bySource(Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        o.bySource().forEach((k, s) -> m.put(k, s[1] > 0 ? Map.of("found", s[0], "withFace", s[1], "extraFaces", s[3])
                : Map.of("falseFaces", s[2])));
        return m;
    }
}
