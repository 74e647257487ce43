package io.facerec.recognizer.cli;

import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.gallery.GalleryFiles;
import io.facerec.model.gallery.GalleryInfo;
import io.facerec.model.gallery.PersonNames;
import io.facerec.recognizer.engine.EmbeddingModel;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.image.ImageDecodeException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code face enroll}: one gallery row per photo that holds exactly one face; the rest listed as skipped. */
@Command(name = "enroll", mixinStandardHelpOptions = true, versionProvider = FaceCommand.Version.class,
        description = {"Builds a gallery from PEOPLE_DIR/<name>/*.jpg|png: one row per photo with exactly one face "
                + "(--model dlib: dlib's 128-number vectors, as the old Python app's gallery holds).",
            "Progress and skipped photos go to stderr. The gallery is written atomically; nothing is written "
                    + "when no photo is usable."})
final class EnrollCommand implements Callable<Integer> {
    @ParentCommand
    FaceCommand face;
    @Mixin
    EngineOptions engine;
    @Parameters(paramLabel = "PEOPLE_DIR", description = "a folder per person, named as the person")
    Path people;
    @Option(names = "--out", paramLabel = "GALLERY_DIR", required = true,
            description = "where encodings.npy, labels.json and gallery.json go")
    Path out;

    @Override
    public Integer call() throws Exception {
        PrintStream err = face.err;
        double threshold = engine.threshold(engine.model, null);
        Map<String, List<Path>> photos = PhotoFolders.photosByPerson(people);
        if (photos.isEmpty()) {
            err.println("face: " + people + ": no PEOPLE_DIR/<name>/*.jpg|png photos found");
            return 1;
        }
        int total = PhotoFolders.count(photos);
        int n = 0;
        List<String> labels = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int skipped = 0;
        try (FaceEngine e = engine.load()) {
            for (var entry : photos.entrySet()) {
                // the same rules as enroll/<name>/ in S3: one person per name in NFC, no reserved names
                String name = PersonNames.normalise(entry.getKey());
                var bad = PersonNames.problem(name);
                if (bad.isPresent()) {
                    skipped += entry.getValue().size();
                    n += entry.getValue().size();
                    err.println("skipped " + people + "/" + PersonNames.quoted(entry.getKey()) + ": the name " + bad.get());
                    continue;
                }
                int used = 0;
                for (Path photo : entry.getValue()) {
                    String progress = "[" + ++n + "/" + total + "] ";
                    String why;
                    try {
                        FrameAnalysis a = e.analyze(Files.readAllBytes(photo), photo.toString(), engine.models());
                        if (a.faces().size() == 1) {
                            labels.add(name);
                            rows.add(engine.model.vectorOf(a.faces().get(0)));
                            used++;
                            err.println(progress + "enrolled " + photo);
                            continue;
                        }
                        why = a.faces().isEmpty() ? "no face found" : a.faces().size() + " faces found, need exactly one";
                    } catch (ImageDecodeException ex) {
                        why = ex.getMessage().substring(photo.toString().length() + 2);
                    }
                    skipped++;
                    err.println(progress + "skipped " + photo + ": " + why);
                }
                err.println("enrolled " + entry.getKey() + ": " + used + " of " + entry.getValue().size() + " photos");
            }
            if (rows.isEmpty()) {
                err.println("face: no photo had exactly one face; gallery not written");
                return 1;
            }
            EmbeddingModel m = engine.model;
            Gallery g = new Gallery(labels, FloatMatrix.ofRows(m.dimension(), rows),
                    new GalleryInfo(m.modelId(), m.dimension(), m.metric().id(), threshold));
            GalleryFiles.write(out, g);
        }
        err.println("wrote " + out + ": " + rows.size() + " samples of "
                + labels.stream().distinct().count() + " people; " + skipped + " photos skipped");
        return 0;
    }
}
