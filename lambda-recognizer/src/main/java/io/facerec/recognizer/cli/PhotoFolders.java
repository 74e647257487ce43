package io.facerec.recognizer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/** Labelled photos on disk: {@code DIR/<name>/*.jpg|jpeg|png}, people and photos in name order. */
final class PhotoFolders {
    private PhotoFolders() {
    }

    static Map<String, List<Path>> photosByPerson(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a folder");
        }
        Map<String, List<Path>> out = new LinkedHashMap<>();
        try (Stream<Path> people = Files.list(root)) {
            for (Path person : people.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(person)) {
                    List<Path> imgs = files.filter(Files::isRegularFile).filter(PhotoFolders::isImageName).sorted().toList();
                    if (!imgs.isEmpty()) {
                        out.put(person.getFileName().toString(), imgs);
                    }
                }
            }
        }
        return out;
    }

    /** Every .jpg, .jpeg and .png under {@code root}, at any depth, in path order. */
    static List<Path> imagesUnder(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new IOException(root + ": not a folder");
        }
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).filter(PhotoFolders::isImageName).sorted().toList();
        }
    }

    static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }

    static int count(Map<String, List<Path>> photos) {
        return photos.values().stream().mapToInt(List::size).sum();
    }

    static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
