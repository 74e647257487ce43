package io.facerec.recognizer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryFiles;
import io.facerec.model.match.FaceMatcher;
import io.facerec.model.match.Match;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.image.ImageDecodeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code face recognize}: one JSON line per image on stdout, an unreadable image being an error line. */
@Command(name = "recognize", mixinStandardHelpOptions = true, versionProvider = FaceCommand.Version.class,
        description = {"Prints one JSON line per image: its faces with box, score, quality, label (a name or "
                + "unknown), similarity and margin; {\"file\",\"error\"} for an image that cannot be read.",
            "Exit code 1 only when no image could be processed."})
final class RecognizeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    @ParentCommand
    FaceCommand face;
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
        try (FaceEngine e = engine.load()) {
            g.requireCompatible(e.modelId(), e.dimension(), gallery.toString());
            double threshold = engine.thresholdGiven ? engine.threshold
                    : g.info() != null && g.info().threshold() != null ? g.info().threshold() : engine.threshold;
            FaceMatcher matcher = new FaceMatcher(g, threshold);
            int done = 0;
            for (Path image : images) {
                ObjectNode line = JSON.createObjectNode().put("file", image.toString());
                try {
                    long t0 = System.nanoTime();
                    FrameAnalysis a = e.analyze(Files.readAllBytes(image), image.toString());
                    line.put("width", a.width()).put("height", a.height());
                    ArrayNode faces = line.putArray("faces");
                    for (DetectedFace f : a.faces()) {
                        Match m = matcher.match(f.embedding());
                        ObjectNode o = faces.addObject();
                        o.putObject("box").put("left", Math.round(f.box().left())).put("top", Math.round(f.box().top()))
                                .put("right", Math.round(f.box().right())).put("bottom", Math.round(f.box().bottom()));
                        o.put("score", PhotoFolders.round(f.score())).put("quality", PhotoFolders.round(f.quality()))
                                .put("label", m.label()).put("similarity", PhotoFolders.round(m.similarity()))
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
