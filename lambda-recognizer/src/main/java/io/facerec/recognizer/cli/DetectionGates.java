package io.facerec.recognizer.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The detector's score cut and the quality gate, chosen together from labelled images by one rule:
 * <ol>
 * <li>Every pair of gates costs {@code faces missed + 10 x false faces}: a face missed is an image
 * known to show a face in which no detection passes both gates (and MIN_FACE_PX); a false face is a
 * detection that passes them on an image known to show none. A false face weighs more because it is
 * announced as a stranger, while a person missed in one frame is usually found in the next.</li>
 * <li>Of the gates with the least cost, those passing the fewest extra faces are kept: an extra face
 * is a second (third...) detection passing on an image known to show one person, a bystander or a
 * false face (a hand) that cannot be told apart without boxes. It only breaks ties: no face is
 * missed to drop one, since it may be a real bystander.</li>
 * <li>The gates kept form a region; the rule takes its middle: the score cut half-way
 * between the region's bounds on the logit scale (the detector's scores crowd towards 1), the
 * quality gate half-way on its own scale. Each bound is one detection, which is named. Should the
 * region not be a rectangle, the middle of the least-cost run along each gate through the highest
 * least-cost cut is taken: of gates that cost the same, those letting fewer detections through.</li>
 * </ol>
 * Detections on a face image are not judged one by one: the labels say a face is there, not which
 * box it is, and such images hold bystanders, blurred faces and things that are not faces alike.
 * Only the images' outcome counts (found or missed) and, on images without a face, every detection.
 */
public final class DetectionGates {
    public static final double FALSE_FACE_COST = 10;

    private DetectionGates() {
    }

    /** One detection: the detector's score, the embedding's length and the box height (frame pixels). */
    public record Candidate(float score, float quality, float height) {
    }

    /**
     * An image from {@code source}, known to show at least one face or none, with its detections;
     * {@code onePerson} when it is known to show exactly one person.
     */
    public record Image(String source, String name, boolean showsFace, boolean onePerson, List<Candidate> candidates) {
        public Image(String source, String name, boolean showsFace, List<Candidate> candidates) {
            this(source, name, showsFace, false, candidates);
        }
    }

    public record Gates(double minScore, double minQuality) {
        boolean pass(Candidate c) {
            return c.score() >= minScore && c.quality() >= minQuality;
        }
    }

    /** An edge of the least-cost region and the detection that sets it. */
    public record Bound(double value, String image, Candidate candidate) {
    }

    /**
     * The least cost, its faces missed and false faces, the region's bounds ({@code low} excluded,
     * {@code high} included), whether the region is a rectangle, and the gates chosen in its middle.
     */
    public record Choice(double cost, int facesMissed, int falseFaces, int extraFaces, Bound scoreLow, Bound scoreHigh,
                         Bound qualityLow, Bound qualityHigh, boolean rectangle, Gates gates) {
    }

    /** Per source: face images found of those known to show one, false faces and extra faces. */
    public record Outcome(Map<String, int[]> bySource, int facesMissed, int falseFaces, int extraFaces) {
        public double cost() {
            return facesMissed + FALSE_FACE_COST * falseFaces;
        }
    }

    /**
     * Chooses the gates from {@code images}, whose candidates are the detections at or above
     * {@code scoreFloor} (the lowest cut considered) that already passed MIN_FACE_PX.
     */
    public static Choice choose(List<Image> images, double scoreFloor) {
        List<Candidate> all = images.stream().flatMap(i -> i.candidates().stream()).toList();
        double[] cuts = breakpoints(all.stream().mapToDouble(Candidate::score).toArray(), scoreFloor);
        double[] gates = breakpoints(all.stream().mapToDouble(Candidate::quality).toArray(), 0);
        int nc = cuts.length + 1; // the last index passes nothing
        int ng = gates.length + 1;
        int[][] found = new int[nc][ng + 1]; // per cut, a difference array over the quality gates
        int[][] foundOne = new int[nc][ng + 1]; // the same for the one-person images
        int[][] falseFaces = new int[nc + 1][ng + 1];
        int[][] onOne = new int[nc + 1][ng + 1]; // detections on one-person images
        int faceImages = 0;
        for (Image img : images) {
            if (img.showsFace()) {
                faceImages++;
                // the highest quality gate index at which some candidate passes, per cut index
                int[] reach = new int[nc];
                Arrays.fill(reach, -1);
                for (Candidate c : img.candidates()) {
                    int ci = index(cuts, c.score());
                    int gi = index(gates, c.quality());
                    for (int i = 0; i <= ci; i++) {
                        reach[i] = Math.max(reach[i], gi);
                    }
                }
                for (int i = 0; i < nc; i++) {
                    if (reach[i] >= 0) {
                        found[i][0]++;
                        found[i][reach[i] + 1]--;
                        if (img.onePerson()) {
                            foundOne[i][0]++;
                            foundOne[i][reach[i] + 1]--;
                        }
                    }
                }
                if (img.onePerson()) {
                    for (Candidate c : img.candidates()) {
                        onOne[index(cuts, c.score())][index(gates, c.quality())]++;
                    }
                }
            } else {
                for (Candidate c : img.candidates()) {
                    falseFaces[index(cuts, c.score())][index(gates, c.quality())]++;
                }
            }
        }
        // suffix sums: false faces passing cut i and gate j are those at or above both
        for (int i = nc - 1; i >= 0; i--) {
            for (int j = ng - 1; j >= 0; j--) {
                falseFaces[i][j] += falseFaces[i + 1][j] + falseFaces[i][j + 1] - falseFaces[i + 1][j + 1];
                onOne[i][j] += onOne[i + 1][j] + onOne[i][j + 1] - onOne[i + 1][j + 1];
            }
        }
        // the cost, then the extra faces as a tie-breaker: one number, compared as a pair would be
        double tie = all.size() + 1.0;
        double[][] cost = new double[nc][ng];
        double least = Double.POSITIVE_INFINITY;
        for (int i = 0; i < nc; i++) {
            int run = 0;
            int runOne = 0;
            for (int j = 0; j < ng; j++) {
                run += found[i][j];
                runOne += foundOne[i][j];
                // passing detections on one-person images, less one for each such image found
                int extra = onOne[i][j] - runOne;
                cost[i][j] = (faceImages - run + FALSE_FACE_COST * falseFaces[i][j]) * tie + extra;
                least = Math.min(least, cost[i][j]);
            }
        }
        int iLo = nc;
        int iHi = -1;
        int jLo = ng;
        int jHi = -1;
        int cells = 0;
        for (int i = 0; i < nc; i++) {
            for (int j = 0; j < ng; j++) {
                if (cost[i][j] == least) {
                    iLo = Math.min(iLo, i);
                    iHi = Math.max(iHi, i);
                    jLo = Math.min(jLo, j);
                    jHi = Math.max(jHi, j);
                    cells++;
                }
            }
        }
        boolean rectangle = cells == (iHi - iLo + 1) * (jHi - jLo + 1);
        if (!rectangle) {
            // the middle of the least-cost run along each gate, through the highest least-cost cut:
            // of gates that cost the same, the ones that let fewer detections through
            int j0 = jLo;
            while (cost[iHi][j0] != least) {
                j0++;
            }
            int[] ir = run(cost, least, iHi, j0, true);
            int im = (ir[0] + ir[1]) / 2;
            int[] jr = run(cost, least, im, j0, false);
            iLo = ir[0];
            iHi = ir[1];
            jLo = jr[0];
            jHi = jr[1];
        }
        Bound sLo = bound(images, iLo == 0 ? scoreFloor : cuts[iLo - 1], true, iLo == 0);
        Bound sHi = bound(images, iHi >= cuts.length ? 1.0 : cuts[iHi], true, iHi >= cuts.length);
        Bound qLo = bound(images, jLo == 0 ? 0 : gates[jLo - 1], false, jLo == 0);
        Bound qHi = bound(images, jHi >= gates.length ? gates[gates.length - 1] : gates[jHi], false, jHi >= gates.length);
        Gates g = new Gates(sigmoid((logit(sLo.value()) + logit(sHi.value())) / 2), (qLo.value() + qHi.value()) / 2);
        Outcome at = evaluate(images, g);
        return new Choice(Math.floor(least / tie), at.facesMissed(), at.falseFaces(), at.extraFaces(), sLo, sHi, qLo, qHi,
                rectangle, g);
    }

    /** How {@code gates} fare on {@code images}, per source in order of appearance. */
    public static Outcome evaluate(List<Image> images, Gates gates) {
        Map<String, int[]> by = new LinkedHashMap<>();
        int missed = 0;
        int falseFaces = 0;
        int extra = 0;
        for (Image img : images) {
            int[] s = by.computeIfAbsent(img.source(), k -> new int[4]); // found, face images, false faces, extra faces
            long passing = img.candidates().stream().filter(gates::pass).count();
            if (img.showsFace()) {
                s[1]++;
                if (passing > 0) {
                    s[0]++;
                } else {
                    missed++;
                }
                if (img.onePerson() && passing > 1) {
                    s[3] += (int) passing - 1;
                    extra += (int) passing - 1;
                }
            } else {
                s[2] += (int) passing;
                falseFaces += (int) passing;
            }
        }
        return new Outcome(by, missed, falseFaces, extra);
    }

    /**
     * Leave one image out: the gates chosen without each image, applied to it. Returns the images
     * decided otherwise than with every image in (a face image missed, or an image without a face
     * given a false face), as "name: what happened".
     */
    public static List<String> leaveOneOut(List<Image> images, double scoreFloor) {
        List<String> out = new ArrayList<>();
        Gates in = choose(images, scoreFloor).gates();
        for (int k = 0; k < images.size(); k++) {
            Image held = images.get(k);
            List<Image> rest = new ArrayList<>(images);
            rest.remove(k);
            Gates g = choose(rest, scoreFloor).gates();
            Outcome was = evaluate(List.of(held), in);
            Outcome now = evaluate(List.of(held), g);
            if (now.cost() != was.cost() || now.extraFaces() != was.extraFaces()) {
                out.add(held.name() + ": " + (held.showsFace()
                        ? (now.facesMissed() > 0 ? "missed" : "found") + (now.extraFaces() > 0 ? ", " + now.extraFaces()
                        + " extra face(s)" : "")
                        : now.falseFaces() + " false face(s)")
                        + String.format(java.util.Locale.ROOT, " at score %.3f, quality %.3f", g.minScore(), g.minQuality()));
            }
        }
        return out;
    }

    private static int[] run(double[][] cost, double least, int i, int j, boolean alongCuts) {
        int lo = alongCuts ? i : j;
        int hi = lo;
        int n = alongCuts ? cost.length : cost[0].length;
        while (lo > 0 && (alongCuts ? cost[lo - 1][j] : cost[i][lo - 1]) == least) {
            lo--;
        }
        while (hi < n - 1 && (alongCuts ? cost[hi + 1][j] : cost[i][hi + 1]) == least) {
            hi++;
        }
        return new int[] {lo, hi};
    }

    /** The detection whose score (or quality) is {@code value}, or none for an end of the scale. */
    private static Bound bound(List<Image> images, double value, boolean score, boolean end) {
        if (!end) {
            for (Image img : images) {
                for (Candidate c : img.candidates()) {
                    if ((score ? c.score() : c.quality()) == value) {
                        return new Bound(value, img.name(), c);
                    }
                }
            }
        }
        return new Bound(value, null, null);
    }

    /** The distinct values, sorted, above the floor, with the floor first. */
    private static double[] breakpoints(double[] values, double floor) {
        double[] v = Arrays.stream(values).filter(x -> x > floor).sorted().distinct().toArray();
        double[] out = new double[v.length + 1];
        out[0] = floor;
        System.arraycopy(v, 0, out, 1, v.length);
        return out;
    }

    /** The index of the highest breakpoint at or below {@code value}: a cut there still passes it. */
    private static int index(double[] breakpoints, double value) {
        int i = Arrays.binarySearch(breakpoints, value);
        return i >= 0 ? i : Math.max(0, -i - 2);
    }

    static double logit(double p) {
        double q = Math.min(Math.max(p, 1e-9), 1 - 1e-9);
        return Math.log(q / (1 - q));
    }

    static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
