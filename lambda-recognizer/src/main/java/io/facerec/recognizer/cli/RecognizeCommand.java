package io.facerec.recognizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryFiles;
import io.facerec.model.match.FaceMatcher;
import io.facerec.model.match.Match;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.EmbeddingModel;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.gallery.GalleryModel;
import io.facerec.recognizer.image.ImageDecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code face recognize}: one JSON line per image on stdout, an unreadable image being an error line. */
@Command(name = "recognize", mixinStandardHelpOptions = true, versionProvider = FaceCommand.Version.class,
        description = {"Prints one JSON line per image: its faces with box, score, quality, label (a name or "
                + "unknown), similarity, distance and margin; {\"file\",\"error\"} for an image that cannot be read.",
            "The gallery's model is used: dlib's vectors for a 128-number gallery without gallery.json (the old "
                    + "Python app's) or one whose gallery.json names dlib, matched by Euclidean distance.",
            "Exit code 1 only when no image could be processed."})
final class RecognizeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    @ParentCommand
    FaceCommand face;
    @Spec
    CommandSpec spec;
    @Mixin
    EngineOptions engine;
    @Option(names = "--gallery", paramLabel = "GALLERY_DIR", required = true, description = "the gallery to match against")
    Path gallery;
    @Parameters(paramLabel = "IMAGE", arity = "1..*", description = "JPEG or PNG images")
    List<Path> images;

    @Override
    public Integer call() throws Exception {
        List<String> problems = new java.util.ArrayList<>();
        Gallery g = GalleryFiles.read(gallery, problems);
        problems.forEach(p -> face.err.println("face: " + p));
        EmbeddingModel model = EmbeddingModel.forGallery(g.info() == null ? null : g.info().modelId(), g.dimension());
        if (engine.modelGiven && engine.model != model) {
            throw new ParameterException(spec.commandLine(), "--model " + engine.model.name().toLowerCase(Locale.ROOT)
                    + " does not fit " + gallery + ", which holds " + model.modelId() + " vectors");
        }
        g.requireCompatible(model.modelId(), model.dimension(), gallery.toString());
        double threshold = engine.threshold(model, GalleryModel.thresholdOf(g.info(), model));
        try (FaceEngine e = engine.load()) {
            FaceMatcher matcher = new FaceMatcher(g, model.metric(), threshold);
            int done = 0;
            for (Path image : images) {
                ObjectNode line = JSON.createObjectNode().put("file", image.toString());
                try {
                    long t0 = System.nanoTime();
                    FrameAnalysis a = e.analyze(Files.readAllBytes(image), image.toString(), EnumSet.of(model));
                    line.put("width", a.width()).put("height", a.height());
                    ArrayNode faces = line.putArray("faces");
                    for (DetectedFace f : a.faces()) {
                        Match m = matcher.match(model.vectorOf(f));
                        ObjectNode o = faces.addObject();
                        o.putObject("box").put("left", Math.round(f.box().left())).put("top", Math.round(f.box().top()))
                                .put("right", Math.round(f.box().right())).put("bottom", Math.round(f.box().bottom()));
                        o.put("score", PhotoFolders.round(f.score())).put("quality", PhotoFolders.round(f.quality()))
                                .put("label", m.label()).put("similarity", PhotoFolders.round(m.similarity()))
                                .put("distance", PhotoFolders.round(m.distance()))
                                .put("margin", PhotoFolders.round(m.margin()));
                    }
                    line.put("ms", PhotoFolders.round((System.nanoTime() - t0) / 1e6));
                    done++;
                } catch (ImageDecodeException ex) {
                    line.put("error", ex.getMessage());
                } catch (IOException ex) {
                    line.put("error", image + ": cannot read (" + ex.getMessage() + ")");
                }
                face.out.println(JSON.writeValueAsString(line));
            }
            return done > 0 ? 0 : 1;
        }
    }
}
