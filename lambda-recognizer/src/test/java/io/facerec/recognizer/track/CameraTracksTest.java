package io.facerec.recognizer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.model.match.Match;
import io.facerec.model.result.FaceResult.FaceBox;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Linking and deciding, on synthetic faces: each person a direction, each face that direction plus noise. */
class CameraTracksTest {
    /** Two of three faces, or one 0.10 above: the rule these tests of linking and announcing are written in. */
    static final TrackRule VOTES = new TrackRule(2, 3, 0.10, 0.10);
    static final TrackSettings S = new TrackSettings(Duration.ofSeconds(3), Duration.ofSeconds(5), Duration.ofSeconds(5),
            VOTES);
    static final double BAR = 0.5;
    static final FaceBox BOX = new FaceBox(100, 100, 180, 190);

    static float[] person(long seed) {
        Random r = new Random(seed);
        float[] v = new float[512];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return unit(v);
    }

    /** A face of {@code p}: cosine to the person's direction about 0.8. */
    static float[] face(float[] p, long seed) {
        Random r = new Random(seed);
        float[] v = new float[p.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = p[i] + 0.75f * (float) r.nextGaussian() / (float) Math.sqrt(p.length);
        }
        return unit(v);
    }

    static float[] unit(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= (float) Math.sqrt(n);
        }
        return v;
    }

    static CameraTracks.Frame frame(int n, CameraTracks.Observed... faces) {
        return new CameraTracks.Frame("frame" + n, 1_000_000L + n * 1000L, n, List.of(faces));
    }

    static CameraTracks.Observed seen(float[] e, Match m) {
        return new CameraTracks.Observed(BOX, e, m);
    }

    static Match unknown() {
        return new Match("someone", 0.2f, 0.05f, false);
    }

    static Match ana(double sim) {
        return new Match("ana", (float) sim, 0.3f, sim >= BAR);
    }

    @Test
    void facesOfOnePersonInConsecutiveFramesAreOneTrackNamedAfterTheEarliest() {
        float[] ana = person(1);
        CameraTracks t = new CameraTracks();
        var a = t.apply(frame(1, seen(face(ana, 11), unknown())), S, BAR);
        var b = t.apply(frame(2, seen(face(ana, 12), unknown())), S, BAR);
        assertEquals(a.trackIds(), b.trackIds());
        assertEquals("1001000-1-0", a.trackIds().get(0));
    }

    @Test
    void twoPeopleInOneFrameAreTwoTracksAndStaySo() {
        float[] ana = person(1);
        float[] bea = person(2);
        CameraTracks t = new CameraTracks();
        var first = t.apply(frame(1, seen(face(ana, 11), unknown()), seen(face(bea, 21), unknown())), S, BAR);
        var second = t.apply(frame(2, seen(face(bea, 22), unknown()), seen(face(ana, 12), unknown())), S, BAR);
        assertNotEquals(first.trackIds().get(0), first.trackIds().get(1));
        assertEquals(first.trackIds().get(0), second.trackIds().get(1), "ana followed");
        assertEquals(first.trackIds().get(1), second.trackIds().get(0), "bea followed");
    }

    @Test
    void facesFurtherApartThanTheGapAreNotLinked() {
        float[] ana = person(1);
        CameraTracks t = new CameraTracks();
        var a = t.apply(frame(1, seen(face(ana, 11), unknown())), S, BAR);
        var b = t.apply(frame(5, seen(face(ana, 12), unknown())), S, BAR); // 4 s later
        assertNotEquals(a.trackIds(), b.trackIds());
    }

    @Test
    void anEarlierFrameProcessedLaterRenamesTheTrackToItsEarliestFace() {
        float[] ana = person(1);
        CameraTracks t = new CameraTracks();
        var later = t.apply(frame(3, seen(face(ana, 13), unknown())), S, BAR);
        var earlier = t.apply(frame(2, seen(face(ana, 12), unknown())), S, BAR);
        assertEquals("1002000-2-0", earlier.trackIds().get(0));
        assertEquals("1002000-2-0", t.resolve(later.trackIds().get(0)), "the first id is an alias of the new one");
    }

    @Test
    void aFaceBetweenTwoTracksBridgesThem() {
        float[] ana = person(1);
        CameraTracks t = new CameraTracks();
        // frames 1 and 4 are 3 s apart (at the gap) but were processed first with a face each of
        // different noise; then frame 2.5... simply: 1 and 5 are separate, 3 links both
        var a = t.apply(frame(1, seen(face(ana, 11), unknown())), S, BAR);
        var b = t.apply(frame(5, seen(face(ana, 15), unknown())), S, BAR);
        assertNotEquals(a.trackIds(), b.trackIds());
        var c = t.apply(frame(3, seen(face(ana, 13), unknown())), S, BAR);
        assertEquals(a.trackIds(), c.trackIds());
        assertEquals(a.trackIds().get(0), t.resolve(b.trackIds().get(0)));
        assertEquals(1, t.liveTracks().size());
    }

    @Test
    void aTrackNeverHoldsTwoFacesOfOneFrame() {
        float[] ana = person(1);
        CameraTracks t = new CameraTracks();
        t.apply(frame(1, seen(face(ana, 11), unknown())), S, BAR);
        // two near-copies of ana in one frame (a reflection): one joins, the other is a track of its own
        var two = t.apply(frame(2, seen(face(ana, 12), unknown()), seen(face(ana, 22), unknown())), S, BAR);
        assertNotEquals(two.trackIds().get(0), two.trackIds().get(1));
    }

    @Test
    void tracksMoreAlikeOnAverageThanFaceByFaceBecomeOneWhenTheyFollowEachOther() {
        // two runs of one person whose faces across the runs are not alike enough pairwise (a far
        // shot, then a near one) but whose means are
        float[] ana = person(1);
        float[] far = person(100);
        float[] near = person(200);
        CameraTracks t = new CameraTracks();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(t.apply(frame(i, seen(unit(mix(ana, far, 0.72f, 900 + i)), unknown())), S, BAR).trackIds().get(0));
        }
        for (int i = 6; i < 10; i++) {
            ids.add(t.apply(frame(i, seen(unit(mix(ana, near, 0.72f, 900 + i)), unknown())), S, BAR).trackIds().get(0));
        }
        assertEquals(1, ids.stream().map(t::resolve).distinct().count(), ids.toString());
    }

    /** {@code w} of {@code a} and the rest of {@code b}, with a little noise. */
    static float[] mix(float[] a, float[] b, float w, long seed) {
        float[] n = face(new float[a.length], seed);
        float[] v = new float[a.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = w * a[i] + (1 - w) * b[i] + 0.35f * n[i];
        }
        return v;
    }

    @Test
    void aKnownPersonIsNamedOnceAndAStrangerAnnouncedWhenTheTrackHasLastedLongEnough() {
        float[] ana = person(1);
        float[] bea = person(2);
        CameraTracks t = new CameraTracks();
        List<String> said = new ArrayList<>();
        for (int i = 0; i <= 8; i++) {
            for (var a : t.apply(frame(i, seen(face(ana, 10 + i), ana(0.56)), seen(face(bea, 20 + i), unknown())), S, BAR)
                    .announcements()) {
                said.add(i + ":" + a.kind() + ":" + a.name() + ":" + a.faces());
            }
        }
        // ana: two of three faces above the threshold (none 0.10 above it); bea: 5 s without a name
        assertEquals(List.of("1:NAMED:ana:2", "5:UNKNOWN:null:6"), said);
    }

    @Test
    void anUnknownTrackNamedLaterIsAnnouncedAgainAsAnUpgrade() {
        float[] ana = person(1);
        CameraTracks t = new CameraTracks();
        List<CameraTracks.Announcement> all = new ArrayList<>();
        for (int i = 0; i <= 5; i++) {
            all.addAll(t.apply(frame(i, seen(face(ana, 10 + i), ana(0.40))), S, BAR).announcements());
        }
        assertEquals(List.of(CameraTracks.Kind.UNKNOWN), all.stream().map(CameraTracks.Announcement::kind).toList());
        var named = t.apply(frame(6, seen(face(ana, 16), ana(0.65))), S, BAR).announcements();
        assertEquals(1, named.size());
        assertEquals(CameraTracks.Kind.UPGRADE, named.get(0).kind());
        assertEquals(all.get(0).trackId(), named.get(0).trackId(), "the same track");
        assertEquals("ana", named.get(0).name());
    }

    @Test
    void aShortUnknownTrackIsAnnouncedWhenItEndsAndHandedOnForClustering() {
        float[] bea = person(2);
        CameraTracks t = new CameraTracks();
        var seen = t.apply(frame(1, seen(face(bea, 21), unknown())), S, BAR);
        assertEquals(List.of(), seen.announcements());
        assertEquals(List.of(new CameraTracks.Crop(0, seen.trackIds().get(0))), seen.crops(), "its crop is taken");
        var quiet = t.apply(frame(5, new CameraTracks.Observed[0]), S, BAR);
        assertEquals(List.of(), quiet.announcements(), "not over yet: gap + late is 8 s");
        var end = t.apply(frame(10, new CameraTracks.Observed[0]), S, BAR);
        assertEquals(1, end.announcements().size());
        assertEquals(CameraTracks.Kind.UNKNOWN, end.announcements().get(0).kind());
        assertEquals(1, end.ended().size());
        assertEquals(seen.trackIds().get(0), end.ended().get(0).crop());
        assertTrue(t.liveTracks().isEmpty());
    }

    @Test
    void withoutAGalleryTracksAreLinkedButNothingIsDecided() {
        float[] bea = person(2);
        CameraTracks t = new CameraTracks();
        for (int i = 0; i <= 12; i++) {
            var out = t.apply(frame(i, i < 7 ? new CameraTracks.Observed[] {seen(face(bea, 20 + i), null)}
                    : new CameraTracks.Observed[0]), S, BAR);
            assertEquals(List.of(), out.announcements());
            assertEquals(List.of(), out.ended());
            assertEquals(List.of(), out.crops());
        }
    }

    @Test
    void aRepeatedFrameGetsItsFirstOutcomeAndChangesNothing() {
        float[] ana = person(1);
        CameraTracks t = new CameraTracks();
        t.apply(frame(1, seen(face(ana, 11), ana(0.7))), S, BAR);
        var first = t.apply(frame(2, seen(face(ana, 12), ana(0.7))), S, BAR);
        byte[] before = t.encode();
        var again = t.apply(frame(2, seen(face(ana, 12), ana(0.7))), S, BAR);
        assertEquals(first, again);
        assertFalse(t.changed());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(t.encode()));
    }

    @Test
    void aFrameLaterThanTheBoundIsDecidedOnItsOwnAndNotStored() {
        float[] ana = person(1);
        CameraTracks t = new CameraTracks();
        t.apply(frame(10, seen(face(ana, 11), ana(0.56))), S, BAR);
        byte[] before = t.encode();
        var late = t.apply(frame(2, seen(face(ana, 12), ana(0.7))), S, BAR); // 8 s behind, late bound 5 s
        assertTrue(late.late());
        assertFalse(t.changed());
        assertEquals("1002000-2-0", late.trackIds().get(0));
        assertEquals("ana", late.announcements().get(0).name());
        assertEquals(java.util.Arrays.toString(before), java.util.Arrays.toString(t.encode()));
    }

    @Test
    void theStoredFormDecidesAsTheLiveOne() {
        float[] ana = person(1);
        float[] bea = person(2);
        CameraTracks live = new CameraTracks();
        CameraTracks stored = new CameraTracks();
        for (int i = 0; i <= 12; i++) {
            CameraTracks.Frame f = i < 7 ? frame(i, seen(face(ana, 10 + i), ana(0.52)), seen(face(bea, 20 + i), unknown()))
                    : frame(i);
            var a = live.apply(f, S, BAR);
            stored = CameraTracks.decode(stored.encode());
            var b = stored.apply(f, S, BAR);
            assertEquals(a.trackIds(), b.trackIds());
            assertEquals(a.announcements(), b.announcements());
            assertEquals(a.ended().size(), b.ended().size());
        }
    }

    /** The same frames in every order of processing (within the late bound) give the same tracks. */
    @Test
    void theTracksDoNotDependOnTheOrderFramesAreProcessedIn() {
        float[] ana = person(1);
        float[] bea = person(2);
        TrackSettings wide = new TrackSettings(Duration.ofSeconds(3), Duration.ofSeconds(30), Duration.ofSeconds(60),
                VOTES);
        List<CameraTracks.Frame> frames = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            List<CameraTracks.Observed> faces = new ArrayList<>();
            if (i < 12) {
                faces.add(seen(face(ana, 100 + i), unknown()));
            }
            if (i > 6) {
                faces.add(seen(face(bea, 200 + i), unknown()));
            }
            frames.add(new CameraTracks.Frame("f" + i, 1_000_000L + i * 700L, i, faces));
        }
        List<String> inOrder = tracksOf(frames, wide);
        for (long seed = 1; seed <= 20; seed++) {
            List<CameraTracks.Frame> shuffled = new ArrayList<>(frames);
            Collections.shuffle(shuffled, new Random(seed));
            assertEquals(inOrder, tracksOf(shuffled, wide), "order " + seed);
        }
        assertEquals(2, inOrder.stream().distinct().count());
    }

    /** Every face's final track, in frame order. */
    static List<String> tracksOf(List<CameraTracks.Frame> frames, TrackSettings s) {
        CameraTracks t = new CameraTracks();
        java.util.Map<String, List<String>> ids = new java.util.HashMap<>();
        for (CameraTracks.Frame f : frames) {
            ids.put(f.frameId(), t.apply(f, s, BAR).trackIds());
        }
        return frames.stream().sorted(java.util.Comparator.comparingLong(CameraTracks.Frame::captureMillis))
                .flatMap(f -> ids.get(f.frameId()).stream()).map(t::resolve).toList();
    }
}
