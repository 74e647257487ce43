package io.facerec.recognizer.track;

import io.facerec.model.gallery.FloatMatrix;
import io.facerec.model.gallery.Gallery;
import io.facerec.model.match.FaceMatcher;
import io.facerec.model.match.Match;
import io.facerec.model.result.FaceResult.FaceBox;
import io.facerec.recognizer.engine.DetectedFace;
import io.facerec.recognizer.engine.EngineConfig;
import io.facerec.recognizer.engine.FaceEngine;
import io.facerec.recognizer.engine.FaceModels;
import io.facerec.recognizer.engine.FrameAnalysis;
import io.facerec.recognizer.testing.SharedPhotos;
import io.facerec.recognizer.testing.TestData;
import io.facerec.recognizer.testing.VideoLabels;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * The figures behind the track rule, from the shared data (nothing here is tuned to it):
 * <ul>
 *   <li><b>Approach sequences from the photos.</b> Each shared photo with one face becomes a person
 *       walking up to a camera: its face pasted at 40, 48, 56, 64, 80, 96 and 128 px high into a
 *       640x480 frame (an ESP32-CAM test shot behind it), JPEG quality 0.6, one frame a second. As a
 *       known person: matched against every other photo (the photo itself left out). As a stranger:
 *       against every photo of the other people (the person left out). The first four sizes alone are
 *       the far, wide-shot part.</li>
 *   <li><b>The video</b>, in capture order, through {@link CameraTracks}: against all the shared
 *       photos, and against all but the person of its wide shot (then a stranger).</li>
 * </ul>
 * Each rule is compared with the per-face decision the recognizer made before tracks (a face named
 * whenever it reaches the threshold), at the default threshold and below it, where a looser
 * calibration would put it. Run: {@code bin/track-figures}; {@code TrackRuleFiguresTest} asserts the
 * targets on the same figures.
 */
public final class TrackRuleFigures {
    static final int[] HEIGHTS = {40, 48, 56, 64, 80, 96, 128};
    static final int FAR = 4;
    static final double[] THRESHOLDS = {0.50, 0.47, 0.45, 0.43, 0.40, 0.39};
    /** What the recognizer did per frame: any face at or above the threshold named its track. */
    static final TrackRule PER_FACE = new TrackRule(1, 1, 0, 0);
    /** The rules measured side by side (the default among them). */
    static final Map<String, TrackRule> CANDIDATES = candidates();

    private static Map<String, TrackRule> candidates() {
        Map<String, TrackRule> m = new LinkedHashMap<>();
        m.put("per face (before tracks)", PER_FACE);
        m.put("2 of 3", new TrackRule(2, 3, 9, 0.10));
        m.put("3 of 5", new TrackRule(3, 5, 9, 0.10));
        m.put("2 of 3, or one +0.03", new TrackRule(2, 3, 0.03, 0.10));
        m.put("2 of 3, or one +0.05", new TrackRule(2, 3, 0.05, 0.10));
        m.put("2 of 3, or one +0.10", new TrackRule(2, 3, 0.10, 0.10));
        m.put("one +0.10 only", new TrackRule(0, 3, 0.10, 0.10));
        return m;
    }

    /**
     * One sequence: whose, whether that person is in its gallery, and the match of each face found
     * (a frame without one adds nothing to a track), with the frame each was found in.
     */
    record Sequence(String person, String photo, boolean known, List<Match> faces, List<Integer> frames) {
    }

    /** What a rule did with a set of sequences. */
    record Tally(int known, int namedRight, int namedWrong, int strangers, int strangersNamed, double meanFrames, int maxFrames) {
        String row() {
            return String.format(Locale.ROOT, "%3d/%-3d named right, %d wrong | %2d/%d strangers named | frames to a name: "
                    + "mean %.2f, max %d", namedRight, known, namedWrong, strangersNamed, strangers, meanFrames, maxFrames);
        }
    }

    final List<SharedPhotos.Photo> photos;
    /** Per photo, the embedding of the face in each approach frame (null where none was found). */
    final Map<SharedPhotos.Photo, float[][]> approach = new LinkedHashMap<>();
    final VideoLabels video;
    final List<List<CameraTracks.Observed>> videoFaces = new ArrayList<>();

    TrackRuleFigures(FaceEngine engine) throws Exception {
        photos = SharedPhotos.embed(engine);
        BufferedImage background = ImageIO.read(TestData.path("no-faces/esp32-camera_test_inside.jpeg").toFile());
        for (SharedPhotos.Photo p : photos) {
            BufferedImage src = ImageIO.read(p.path().toFile());
            DetectedFace face = engine.analyze(Files.readAllBytes(p.path()), p.path().toString()).faces().get(0);
            float[][] frames = new float[HEIGHTS.length][];
            for (int i = 0; i < HEIGHTS.length; i++) {
                FrameAnalysis a = engine.analyze(jpeg(paste(src, face, HEIGHTS[i], background)), p.path() + "@" + HEIGHTS[i]);
                frames[i] = a.faces().stream().min(java.util.Comparator.comparingDouble(
                        d -> Math.abs((d.box().left() + d.box().right()) / 2 - 320))).map(DetectedFace::embedding).orElse(null);
            }
            approach.put(p, frames);
        }
        video = VideoLabels.read();
        for (VideoLabels.Row r : video.rows()) {
            List<CameraTracks.Observed> faces = new ArrayList<>();
            for (DetectedFace d : engine.analyze(video.bytes(r), r.file()).faces()) {
                faces.add(new CameraTracks.Observed(new FaceBox(Math.round(d.box().left()), Math.round(d.box().top()),
                        Math.round(d.box().right()), Math.round(d.box().bottom())), d.embedding(), null));
            }
            videoFaces.add(faces);
        }
    }

    /** The photo's face, {@code height} px high, in the middle of a 640x480 camera frame. */
    static BufferedImage paste(BufferedImage src, DetectedFace face, int height, BufferedImage background) {
        double scale = height / face.box().height();
        double cx = (face.box().left() + face.box().right()) / 2;
        double cy = (face.box().top() + face.box().bottom()) / 2;
        double w = face.box().width();
        double h = face.box().height();
        int sx0 = (int) Math.max(0, cx - 1.2 * w);
        int sy0 = (int) Math.max(0, cy - 1.2 * h);
        int sx1 = (int) Math.min(src.getWidth(), cx + 1.2 * w);
        int sy1 = (int) Math.min(src.getHeight(), cy + 1.2 * h);
        BufferedImage frame = new BufferedImage(640, 480, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(background, 0, 0, 640, 480, null);
        g.drawImage(src, (int) (320 + (sx0 - cx) * scale), (int) (240 + (sy0 - cy) * scale), (int) (320 + (sx1 - cx) * scale),
                (int) (240 + (sy1 - cy) * scale), sx0, sy0, sx1, sy1, null);
        g.dispose();
        return frame;
    }

    static byte[] jpeg(BufferedImage img) throws Exception {
        ImageWriter w = ImageIO.getImageWritersByFormatName("jpg").next();
        ImageWriteParam p = w.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.6f);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            w.setOutput(ios);
            w.write(null, new IIOImage(img, null, null), p);
        }
        w.dispose();
        return out.toByteArray();
    }

    static FaceMatcher matcher(List<SharedPhotos.Photo> rows, double threshold) {
        float[] data = new float[rows.size() * 512];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i).embedding(), 0, data, i * 512, 512);
        }
        return new FaceMatcher(new Gallery(rows.stream().map(SharedPhotos.Photo::person).toList(),
                new FloatMatrix(rows.size(), 512, data), null), threshold);
    }

    /** Every approach sequence, as a known person and as a stranger, matched at {@code threshold}; {@code frames} first frames. */
    List<Sequence> sequences(double threshold, int frames) {
        List<Sequence> out = new ArrayList<>();
        for (SharedPhotos.Photo p : photos) {
            for (boolean known : new boolean[] {true, false}) {
                List<SharedPhotos.Photo> gallery = photos.stream()
                        .filter(o -> o != p && (known || !o.person().equals(p.person()))).toList();
                if (known && gallery.stream().noneMatch(o -> o.person().equals(p.person()))) {
                    continue; // a person with one photo cannot be known without it
                }
                FaceMatcher m = matcher(gallery, threshold);
                List<Match> faces = new ArrayList<>();
                List<Integer> at = new ArrayList<>();
                float[][] e = approach.get(p);
                for (int i = 0; i < frames; i++) {
                    if (e[i] != null) {
                        faces.add(m.match(e[i]));
                        at.add(i);
                    }
                }
                out.add(new Sequence(p.person(), p.path().getFileName().toString(), known, faces, at));
            }
        }
        return out;
    }

    static Tally tally(TrackRule rule, List<Sequence> seqs, double threshold) {
        int known = 0;
        int right = 0;
        int wrong = 0;
        int strangers = 0;
        int strangersNamed = 0;
        int frames = 0;
        int max = 0;
        for (Sequence s : seqs) {
            var d = rule.decide(s.faces(), threshold);
            if (s.known()) {
                known++;
                if (d.isPresent() && d.get().name().equals(s.person())) {
                    right++;
                    int at = s.frames().get(firstDecided(rule, s.faces(), threshold)) + 1;
                    frames += at;
                    max = Math.max(max, at);
                } else if (d.isPresent()) {
                    wrong++;
                }
            } else {
                strangers++;
                if (d.isPresent()) {
                    strangersNamed++;
                }
            }
        }
        return new Tally(known, right, wrong, strangers, strangersNamed, right == 0 ? 0 : (double) frames / right, max);
    }

    /** How many frames of the sequence the rule needed (index of the last one it read). */
    static int firstDecided(TrackRule rule, List<Match> faces, double threshold) {
        for (int i = 0; i < faces.size(); i++) {
            if (rule.decide(faces.subList(0, i + 1), threshold).isPresent()) {
                return i;
            }
        }
        return -1;
    }

    /** The video in capture order through CameraTracks: each labelled identity's tracks and what they were named. */
    record VideoOutcome(Map<String, Set<String>> tracksOf, Map<String, String> named, Map<String, Boolean> unknown,
                        long firstNamedMillis, int largestStateBytes) {
    }

    VideoOutcome video(Predicate<String> inGallery, TrackSettings settings) {
        double threshold = FaceModels.DEFAULT_THRESHOLD;
        FaceMatcher m = matcher(photos.stream().filter(p -> inGallery.test(p.person())).toList(), threshold);
        CameraTracks tracks = new CameraTracks();
        Map<String, List<String>> idsOf = new HashMap<>();
        Map<String, String> named = new TreeMap<>();
        Map<String, Boolean> unknown = new TreeMap<>();
        long firstNamed = -1;
        List<VideoLabels.Row> rows = video.rows();
        List<CameraTracks.Announcement> said = new ArrayList<>();
        int largest = 0;
        for (int i = 0; i < rows.size(); i++) {
            VideoLabels.Row r = rows.get(i);
            List<CameraTracks.Observed> faces = videoFaces.get(i).stream()
                    .map(o -> new CameraTracks.Observed(o.box(), o.embedding(), m.match(o.embedding()))).toList();
            var out = tracks.apply(new CameraTracks.Frame(r.file(), r.millis(), r.index(), faces), settings, threshold);
            idsOf.put(r.file(), out.trackIds());
            said.addAll(out.announcements());
            largest = Math.max(largest, tracks.encode().length);
            if (firstNamed < 0 && out.announcements().stream().anyMatch(a -> a.name() != null)) {
                firstNamed = r.millis();
            }
        }
        long end = rows.get(rows.size() - 1).millis() + 60_000;
        said.addAll(tracks.apply(new CameraTracks.Frame("end", end, 9999, List.of()), settings, threshold).announcements());
        for (CameraTracks.Announcement a : said) {
            String id = tracks.resolve(a.trackId());
            if (a.name() != null) {
                named.put(id, a.name());
            } else {
                unknown.put(id, true);
            }
        }
        Map<String, Set<String>> tracksOf = new TreeMap<>();
        for (VideoLabels.Row r : rows) {
            for (String id : idsOf.get(r.file())) {
                tracksOf.computeIfAbsent(r.identity(), k -> new java.util.TreeSet<>()).add(tracks.resolve(id));
            }
        }
        return new VideoOutcome(tracksOf, named, unknown, firstNamed, largest);
    }

    String wideShotPerson() {
        return video.rows().stream().filter(r -> r.note().contains("wide shot")).findFirst().orElseThrow().identity();
    }

    void print() {
        System.out.println("Approach sequences from the shared photos (" + photos.size() + " photos, faces of "
                + java.util.Arrays.toString(HEIGHTS) + " px, one frame a second):");
        for (double t : THRESHOLDS) {
            List<Sequence> all = sequences(t, HEIGHTS.length);
            List<Sequence> far = sequences(t, FAR);
            System.out.printf(Locale.ROOT, "threshold %.2f%n", t);
            CANDIDATES.forEach((name, rule) -> {
                System.out.printf(Locale.ROOT, "  %-26s all sizes: %s%n", name, tally(rule, all, t).row());
                System.out.printf(Locale.ROOT, "  %-26s 40-64 px:  %s%n", "", tally(rule, far, t).row());
            });
        }
        String wide = wideShotPerson();
        for (boolean enrolled : new boolean[] {true, false}) {
            Predicate<String> gallery = p -> enrolled || !p.equals(wide);
            VideoOutcome v = video(gallery, TrackSettings.DEFAULT);
            TrackSettings d = TrackSettings.DEFAULT;
            VideoOutcome perFace = video(gallery, new TrackSettings(d.gap(), d.late(), d.unknownAfter(), PER_FACE));
            System.out.println("Video, " + (enrolled ? "every shared person enrolled" : wide + " not enrolled") + ":");
            v.tracksOf().forEach((who, ids) -> System.out.println("  " + who + ": tracks " + ids.size() + ", named "
                    + ids.stream().map(id -> v.named().getOrDefault(id, v.unknown().containsKey(id) ? "unknown" : "-")).toList()
                    + "; by the per-face rule " + perFace.tracksOf().get(who).stream().map(id -> perFace.named()
                            .getOrDefault(id, perFace.unknown().containsKey(id) ? "unknown" : "-")).toList()));
            System.out.println("  " + (v.firstNamedMillis() < 0 ? "no name announced"
                    : "first name announced at " + v.firstNamedMillis() / 1000.0 + " s into the clip") + "; the camera's "
                    + "track state at most " + v.largestStateBytes() + " bytes (5 frames a second, up to 4 faces)");
        }
    }

    public static void main(String[] args) throws Exception {
        try (FaceEngine e = FaceEngine.load(EngineConfig.defaults(), null)) {
            new TrackRuleFigures(e).print();
        }
    }
}
