package io.facerec.recognizer.track;

import io.facerec.model.match.Match;
import io.facerec.model.result.FaceResult.FaceBox;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One camera's person-tracks: the faces of the last few seconds, the live tracks with their
 * decisions, the ids tracks were renamed or merged from, and what the last frames owed. It is pure
 * (no I/O): {@link TrackStore} reads and writes it, {@link Tracker} feeds it frames.
 *
 * <p><b>Linking.</b> A new frame's faces are compared with the faces of every other frame within
 * {@link TrackSettings#gap()} of it in capture time, before or after. A face and a face of another
 * frame are linked when each is the other's most alike face in the other's frame and they are alike
 * enough to be one person by the matcher's own test (their similarity reaches its threshold). A face
 * joins the tracks of the faces it is linked to; a face linked to two tracks bridges them and they
 * become one (never two faces of one frame in a track). Tracks that follow each other within the gap
 * without overlapping become one when their mean faces pass the same test: a person turning or
 * coming closer changes their face more from frame to frame than their average. Each pair of faces
 * is judged once, when the later-processed one arrives, from the stored form of both, so the links do
 * not depend on which frame came first, and a track is named after its earliest face in capture
 * order: the tracks are the same whatever the order frames are processed in, as long as no frame is
 * processed more than {@link TrackSettings#late()} behind the camera's newest (such a frame is decided
 * on its own).
 *
 * <p><b>Decisions.</b> A track is named when {@link TrackRule} says so, and announced then; one not
 * named is announced as unknown once it has lasted {@link TrackSettings#unknownAfter()}, or when it
 * ends (a frame of the camera more than gap + late after its last face). A named track stays named;
 * one announced as unknown and named later is announced again, as an upgrade. Tracks that end without
 * a name are handed on for clustering.
 */
public final class CameraTracks {
    static final int FORMAT = 1;
    /** Frames whose outcome is kept, so a retried event gets what the first attempt decided. */
    static final int KEEP_APPLIED = 32;
    static final int KEEP_ALIASES = 256;

    /** One face of a frame as the engine and the matcher saw it; {@code match} is null without a gallery. */
    public record Observed(FaceBox box, float[] embedding, Match match) {
    }

    /** A frame to add: its identity, its place in capture order, its faces in index order. */
    public record Frame(String frameId, long captureMillis, long sequence, List<Observed> faces) {
    }

    /** The face an announcement shows: where and when, and how it matched. */
    public record Shown(FaceKey key, FaceBox box, Match match) {
    }

    public enum Kind { NAMED, UNKNOWN, UPGRADE }

    /** A decision to announce: {@code name} is the person's, or null for unknown. */
    public record Announcement(String trackId, Kind kind, String name, Shown shown, int faces, long firstMillis) {
    }

    /** A track that ended without a name, for clustering; {@code crop} is its crop's id, or null. */
    public record Ended(String trackId, Embedding mean, int faces, long firstMillis, long lastMillis, String crop) {
    }

    /** A face crop to store for face {@code face} of the frame, under the id {@code cropId}. */
    public record Crop(int face, String cropId) {
    }

    /**
     * What a frame did: its faces' track ids (index order), the announcements it owes, the unknown
     * tracks it ended, the crops to store, and whether it came too late to be linked.
     */
    public record Outcome(List<String> trackIds, List<Announcement> announcements, List<Ended> ended, List<Crop> crops,
                          boolean late) {
        static final Outcome NOTHING = new Outcome(List.of(), List.of(), List.of(), List.of(), false);
    }

    static final class Member {
        FaceKey key;
        String frameId;
        FaceBox box;
        Embedding embedding;
        Match match;
        String track;
    }

    static final class Track {
        String id;
        FaceKey first;
        FaceKey last;
        int faces;
        int[] sum;
        boolean matched;
        String named;
        boolean unknownAnnounced;
        Shown largest;
        String crop;
    }

    long newest = Long.MIN_VALUE;
    final List<Member> members = new ArrayList<>();
    final Map<String, Track> tracks = new LinkedHashMap<>();
    final LinkedHashMap<String, String> aliases = new LinkedHashMap<>();
    final LinkedHashMap<String, Outcome> applied = new LinkedHashMap<>();

    /** The outcome recorded for a frame added before (a retried or repeated event). */
    public Optional<Outcome> appliedOutcome(String frameId) {
        return Optional.ofNullable(applied.get(frameId));
    }

    /** The id a track has now, following its renames and merges (as far as they are kept). */
    public String resolve(String trackId) {
        String id = trackId;
        for (int i = 0; i < KEEP_ALIASES && aliases.containsKey(id); i++) {
            id = aliases.get(id);
        }
        return id;
    }

    /** The live tracks' ids, for tests and the log. */
    public Set<String> liveTracks() {
        return Set.copyOf(tracks.keySet());
    }

    /**
     * Adds a frame. {@code bar} is the matcher's threshold in similarity units: the test of "one
     * person" for two faces. Returns what the frame did; {@link #changed} says whether to store.
     */
    public Outcome apply(Frame f, TrackSettings s, double bar) {
        Outcome done = applied.get(f.frameId());
        if (done != null) {
            changed = false;
            return done;
        }
        long gap = s.gap().toMillis();
        long late = s.late().toMillis();
        if (newest != Long.MIN_VALUE && f.captureMillis() < newest - late) {
            changed = false;
            return lateOutcome(f, s, bar);
        }
        changed = !f.faces().isEmpty();
        newest = Math.max(newest, f.captureMillis());
        List<Member> added = new ArrayList<>();
        for (int i = 0; i < f.faces().size(); i++) {
            Observed o = f.faces().get(i);
            Member m = new Member();
            m.key = new FaceKey(f.captureMillis(), f.sequence(), i);
            m.frameId = f.frameId();
            m.box = o.box();
            m.embedding = Embedding.of(o.embedding());
            m.match = o.match();
            added.add(m);
        }
        link(added, gap, bar);
        mergeFollowingTracks(gap, bar);
        List<Announcement> announcements = new ArrayList<>();
        decide(s, bar, announcements);
        List<Ended> ended = end(gap + late, announcements);
        members.removeIf(m -> m.key.captureMillis() < newest - gap - late);
        List<Crop> crops = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < added.size(); i++) {
            Member m = added.get(i);
            Track t = tracks.get(m.track);
            ids.add(m.track);
            if (t != null && t.crop == null && m.match != null && !m.match.known()) {
                t.crop = t.id;
                crops.add(new Crop(i, t.id));
            }
        }
        changed |= !announcements.isEmpty() || !ended.isEmpty();
        Outcome out = new Outcome(ids, announcements, ended, crops, false);
        if (changed) {
            applied.put(f.frameId(), out);
            while (applied.size() > KEEP_APPLIED) {
                applied.remove(applied.keySet().iterator().next());
            }
        }
        return out;
    }

    private boolean changed;

    /** Whether the last {@link #apply} changed anything worth storing. */
    public boolean changed() {
        return changed;
    }

    private record Edge(Member face, Member other, double similarity) {
    }

    private void link(List<Member> added, long gap, double bar) {
        if (added.isEmpty()) {
            return;
        }
        String frameId = added.get(0).frameId;
        long t = added.get(0).key.captureMillis();
        Map<String, List<Member>> byFrame = new LinkedHashMap<>();
        members.stream().filter(m -> !m.frameId.equals(frameId) && Math.abs(m.key.captureMillis() - t) <= gap)
                .sorted(Comparator.comparing(m -> m.key))
                .forEach(m -> byFrame.computeIfAbsent(m.frameId, k -> new ArrayList<>()).add(m));
        List<Edge> edges = new ArrayList<>();
        for (List<Member> other : byFrame.values()) {
            double[][] sim = new double[added.size()][other.size()];
            for (int i = 0; i < added.size(); i++) {
                for (int j = 0; j < other.size(); j++) {
                    sim[i][j] = added.get(i).embedding.cosine(other.get(j).embedding);
                }
            }
            for (int i = 0; i < added.size(); i++) {
                int j = argmax(sim[i]);
                if (sim[i][j] >= bar && argmaxColumn(sim, j) == i) {
                    edges.add(new Edge(added.get(i), other.get(j), sim[i][j]));
                }
            }
        }
        // the most alike links first, so a conflict keeps the stronger; ties in capture order
        edges.sort(Comparator.comparingDouble(Edge::similarity).reversed()
                .thenComparing(e -> e.face.key).thenComparing(e -> e.other.key));
        for (Edge e : edges) {
            Track target = tracks.get(e.other.track);
            if (target == null) {
                continue; // that face's track ended already
            }
            if (e.face.track == null) {
                if (!holdsFrame(target, frameId)) {
                    add(target, e.face);
                }
            } else {
                Track current = tracks.get(e.face.track);
                if (current != target && !shareFrame(current, target)) {
                    merge(current, target);
                }
            }
        }
        for (Member m : added) {
            if (m.track == null) {
                Track n = new Track();
                n.id = m.key.id();
                n.first = m.key;
                n.last = m.key;
                n.sum = new int[m.embedding.dimension()];
                tracks.put(n.id, n);
                add(n, m);
            }
        }
    }

    private static int argmax(double[] row) {
        int best = 0;
        for (int j = 1; j < row.length; j++) {
            if (row[j] > row[best]) {
                best = j;
            }
        }
        return best;
    }

    private static int argmaxColumn(double[][] sim, int j) {
        int best = 0;
        for (int i = 1; i < sim.length; i++) {
            if (sim[i][j] > sim[best][j]) {
                best = i;
            }
        }
        return best;
    }

    private boolean holdsFrame(Track t, String frameId) {
        return members.stream().anyMatch(m -> t.id.equals(m.track) && m.frameId.equals(frameId));
    }

    private boolean shareFrame(Track a, Track b) {
        Set<String> frames = new HashSet<>();
        for (Member m : members) {
            if (a.id.equals(m.track)) {
                frames.add(m.frameId);
            }
        }
        return members.stream().anyMatch(m -> b.id.equals(m.track) && frames.contains(m.frameId));
    }

    private void add(Track t, Member m) {
        if (!members.contains(m)) {
            members.add(m);
        }
        m.track = t.id;
        t.faces++;
        m.embedding.addTo(t.sum);
        t.matched |= m.match != null;
        Shown shown = new Shown(m.key, m.box, m.match);
        if (t.largest == null || height(m.box) > height(t.largest.box())) {
            t.largest = shown;
        }
        if (m.key.compareTo(t.last) > 0) {
            t.last = m.key;
        }
        if (m.key.compareTo(t.first) < 0) {
            t.first = m.key;
            rename(t, m.key.id());
        }
    }

    private static int height(FaceBox b) {
        return b.bottom() - b.top();
    }

    /** A track is named after its earliest face: an earlier face that joins it renames it. */
    private void rename(Track t, String id) {
        String old = t.id;
        tracks.remove(old);
        t.id = id;
        tracks.put(id, t);
        alias(old, id);
        for (Member m : members) {
            if (old.equals(m.track)) {
                m.track = id;
            }
        }
    }

    private void alias(String from, String to) {
        aliases.replaceAll((k, v) -> v.equals(from) ? to : v);
        aliases.remove(to);
        aliases.put(from, to);
        while (aliases.size() > KEEP_ALIASES) {
            aliases.remove(aliases.keySet().iterator().next());
        }
    }

    /** Two tracks become the one that began first. */
    private Track merge(Track a, Track b) {
        Track keep = a.first.compareTo(b.first) <= 0 ? a : b;
        Track gone = keep == a ? b : a;
        tracks.remove(gone.id);
        for (Member m : members) {
            if (gone.id.equals(m.track)) {
                m.track = keep.id;
            }
        }
        alias(gone.id, keep.id);
        keep.faces += gone.faces;
        for (int i = 0; i < keep.sum.length; i++) {
            keep.sum[i] += gone.sum[i];
        }
        keep.last = keep.last.compareTo(gone.last) >= 0 ? keep.last : gone.last;
        keep.matched |= gone.matched;
        if (keep.named == null) {
            keep.named = gone.named;
        }
        keep.unknownAnnounced |= gone.unknownAnnounced;
        if (gone.largest != null && (keep.largest == null || height(gone.largest.box()) > height(keep.largest.box()))) {
            keep.largest = gone.largest;
        }
        if (keep.crop == null) {
            keep.crop = gone.crop;
        }
        return keep;
    }

    /** Tracks that follow each other within the gap, without overlapping, and whose mean faces agree. */
    private void mergeFollowingTracks(long gap, double bar) {
        while (true) {
            Track bestA = null;
            Track bestB = null;
            double best = Double.NEGATIVE_INFINITY;
            List<Track> live = tracks.values().stream().sorted(Comparator.comparing(t -> t.first)).toList();
            for (Track a : live) {
                for (Track b : live) {
                    if (a.last.frameBefore(b.first) && b.first.captureMillis() - a.last.captureMillis() <= gap) {
                        double sim = Embedding.cosine(a.sum, b.sum);
                        if (sim >= bar && sim > best) {
                            best = sim;
                            bestA = a;
                            bestB = b;
                        }
                    }
                }
            }
            if (bestA == null) {
                return;
            }
            merge(bestA, bestB);
            changed = true;
        }
    }

    private void decide(TrackSettings s, double bar, List<Announcement> out) {
        for (Track t : List.copyOf(tracks.values())) {
            if (!t.matched || t.named != null) {
                continue;
            }
            List<Member> faces = members.stream().filter(m -> t.id.equals(m.track))
                    .sorted(Comparator.comparing(m -> m.key)).toList();
            Optional<TrackRule.Decision> d = s.rule().decide(faces.stream().map(m -> m.match).toList(), bar);
            if (d.isPresent()) {
                t.named = d.get().name();
                Member shown = faces.get(d.get().face());
                out.add(new Announcement(t.id, t.unknownAnnounced ? Kind.UPGRADE : Kind.NAMED, t.named,
                        new Shown(shown.key, shown.box, shown.match), t.faces, t.first.captureMillis()));
            } else if (!t.unknownAnnounced && t.last.captureMillis() - t.first.captureMillis() >= s.unknownAfter().toMillis()) {
                t.unknownAnnounced = true;
                out.add(new Announcement(t.id, Kind.UNKNOWN, null, t.largest, t.faces, t.first.captureMillis()));
            }
        }
    }

    /** Tracks nothing can join any more: announced as unknown if still undecided, and handed on if unnamed. */
    private List<Ended> end(long after, List<Announcement> out) {
        List<Ended> ended = new ArrayList<>();
        for (Iterator<Track> it = tracks.values().iterator(); it.hasNext(); ) {
            Track t = it.next();
            if (newest - t.last.captureMillis() <= after) {
                continue;
            }
            if (t.matched && t.named == null) {
                if (!t.unknownAnnounced) {
                    t.unknownAnnounced = true;
                    out.add(new Announcement(t.id, Kind.UNKNOWN, null, t.largest, t.faces, t.first.captureMillis()));
                }
                ended.add(new Ended(t.id, Embedding.ofSum(t.sum), t.faces, t.first.captureMillis(),
                        t.last.captureMillis(), t.crop));
            }
            it.remove();
            String id = t.id;
            members.removeIf(m -> id.equals(m.track));
        }
        return ended;
    }

    /** A frame too late to link: each face is a track of its own, decided at once. Nothing is stored. */
    private Outcome lateOutcome(Frame f, TrackSettings s, double bar) {
        List<String> ids = new ArrayList<>();
        List<Announcement> announcements = new ArrayList<>();
        List<Ended> ended = new ArrayList<>();
        List<Crop> crops = new ArrayList<>();
        for (int i = 0; i < f.faces().size(); i++) {
            Observed o = f.faces().get(i);
            FaceKey key = new FaceKey(f.captureMillis(), f.sequence(), i);
            ids.add(key.id());
            if (o.match() == null) {
                continue;
            }
            Shown shown = new Shown(key, o.box(), o.match());
            Optional<TrackRule.Decision> d = s.rule().decide(List.of(o.match()), bar);
            if (d.isPresent()) {
                announcements.add(new Announcement(key.id(), Kind.NAMED, d.get().name(), shown, 1, f.captureMillis()));
            } else {
                announcements.add(new Announcement(key.id(), Kind.UNKNOWN, null, shown, 1, f.captureMillis()));
                int[] sum = new int[o.embedding().length];
                Embedding e = Embedding.of(o.embedding());
                e.addTo(sum);
                String crop = o.match().known() ? null : key.id();
                if (crop != null) {
                    crops.add(new Crop(i, crop));
                }
                ended.add(new Ended(key.id(), Embedding.ofSum(sum), 1, f.captureMillis(), f.captureMillis(), crop));
            }
        }
        return new Outcome(ids, announcements, ended, crops, true);
    }

    // ---- the stored form

    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            out.writeLong(newest);
            out.writeInt(members.size());
            for (Member m : members) {
                writeKey(out, m.key);
                out.writeUTF(m.frameId);
                writeBox(out, m.box);
                writeEmbedding(out, m.embedding);
                writeMatch(out, m.match);
                out.writeUTF(m.track);
            }
            out.writeInt(tracks.size());
            for (Track t : tracks.values()) {
                out.writeUTF(t.id);
                writeKey(out, t.first);
                writeKey(out, t.last);
                out.writeInt(t.faces);
                out.writeInt(t.sum.length);
                for (int v : t.sum) {
                    writeVarint(out, (v << 1) ^ (v >> 31));
                }
                out.writeBoolean(t.matched);
                writeText(out, t.named);
                out.writeBoolean(t.unknownAnnounced);
                writeShown(out, t.largest);
                writeText(out, t.crop);
            }
            out.writeInt(aliases.size());
            for (var e : aliases.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(applied.size());
            for (var e : applied.entrySet()) {
                out.writeUTF(e.getKey());
                writeOutcome(out, e.getValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    public static CameraTracks decode(byte[] data) {
        CameraTracks c = new CameraTracks();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new IllegalArgumentException("track state of format " + format + ", this version reads " + FORMAT);
            }
            c.newest = in.readLong();
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                Member m = new Member();
                m.key = readKey(in);
                m.frameId = in.readUTF();
                m.box = readBox(in);
                m.embedding = readEmbedding(in);
                m.match = readMatch(in);
                m.track = in.readUTF();
                c.members.add(m);
            }
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                Track t = new Track();
                t.id = in.readUTF();
                t.first = readKey(in);
                t.last = readKey(in);
                t.faces = in.readInt();
                t.sum = new int[in.readInt()];
                for (int j = 0; j < t.sum.length; j++) {
                    int z = readVarint(in);
                    t.sum[j] = (z >>> 1) ^ -(z & 1);
                }
                t.matched = in.readBoolean();
                t.named = readText(in);
                t.unknownAnnounced = in.readBoolean();
                t.largest = readShown(in);
                t.crop = readText(in);
                c.tracks.put(t.id, t);
            }
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                c.aliases.put(in.readUTF(), in.readUTF());
            }
            n = in.readInt();
            for (int i = 0; i < n; i++) {
                c.applied.put(in.readUTF(), readOutcome(in));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("track state unreadable: " + e.getMessage(), e);
        }
        return c;
    }

    private static void writeOutcome(DataOutputStream out, Outcome o) throws IOException {
        out.writeInt(o.trackIds().size());
        for (String id : o.trackIds()) {
            out.writeUTF(id);
        }
        out.writeInt(o.announcements().size());
        for (Announcement a : o.announcements()) {
            out.writeUTF(a.trackId());
            out.writeByte(a.kind().ordinal());
            writeText(out, a.name());
            writeShown(out, a.shown());
            out.writeInt(a.faces());
            out.writeLong(a.firstMillis());
        }
        out.writeInt(o.ended().size());
        for (Ended e : o.ended()) {
            out.writeUTF(e.trackId());
            writeEmbedding(out, e.mean());
            out.writeInt(e.faces());
            out.writeLong(e.firstMillis());
            out.writeLong(e.lastMillis());
            writeText(out, e.crop());
        }
        out.writeInt(o.crops().size());
        for (Crop c : o.crops()) {
            out.writeInt(c.face());
            out.writeUTF(c.cropId());
        }
        out.writeBoolean(o.late());
    }

    private static Outcome readOutcome(DataInputStream in) throws IOException {
        List<String> ids = new ArrayList<>();
        for (int n = in.readInt(), i = 0; i < n; i++) {
            ids.add(in.readUTF());
        }
        List<Announcement> announcements = new ArrayList<>();
        for (int n = in.readInt(), i = 0; i < n; i++) {
            announcements.add(new Announcement(in.readUTF(), Kind.values()[in.readUnsignedByte()], readText(in),
                    readShown(in), in.readInt(), in.readLong()));
        }
        List<Ended> ended = new ArrayList<>();
        for (int n = in.readInt(), i = 0; i < n; i++) {
            ended.add(new Ended(in.readUTF(), readEmbedding(in), in.readInt(), in.readLong(), in.readLong(), readText(in)));
        }
        List<Crop> crops = new ArrayList<>();
        for (int n = in.readInt(), i = 0; i < n; i++) {
            crops.add(new Crop(in.readInt(), in.readUTF()));
        }
        return new Outcome(ids, announcements, ended, crops, in.readBoolean());
    }

    private static void writeKey(DataOutputStream out, FaceKey k) throws IOException {
        out.writeLong(k.captureMillis());
        out.writeLong(k.sequence());
        out.writeInt(k.face());
    }

    private static FaceKey readKey(DataInputStream in) throws IOException {
        return new FaceKey(in.readLong(), in.readLong(), in.readInt());
    }

    private static void writeBox(DataOutputStream out, FaceBox b) throws IOException {
        out.writeInt(b.left());
        out.writeInt(b.top());
        out.writeInt(b.right());
        out.writeInt(b.bottom());
    }

    private static FaceBox readBox(DataInputStream in) throws IOException {
        return new FaceBox(in.readInt(), in.readInt(), in.readInt(), in.readInt());
    }

    private static void writeEmbedding(DataOutputStream out, Embedding e) throws IOException {
        out.writeFloat(e.scale());
        out.writeInt(e.q().length);
        out.write(e.q());
    }

    private static Embedding readEmbedding(DataInputStream in) throws IOException {
        float scale = in.readFloat();
        byte[] q = new byte[in.readInt()];
        in.readFully(q);
        return new Embedding(q, scale);
    }

    private static void writeMatch(DataOutputStream out, Match m) throws IOException {
        out.writeBoolean(m != null);
        if (m != null) {
            writeText(out, m.candidate());
            out.writeFloat(m.similarity());
            out.writeFloat(m.margin());
            out.writeBoolean(m.known());
        }
    }

    private static Match readMatch(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new Match(readText(in), in.readFloat(), in.readFloat(), in.readBoolean());
    }

    private static void writeShown(DataOutputStream out, Shown s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            writeKey(out, s.key());
            writeBox(out, s.box());
            writeMatch(out, s.match());
        }
    }

    private static Shown readShown(DataInputStream in) throws IOException {
        return in.readBoolean() ? new Shown(readKey(in), readBox(in), readMatch(in)) : null;
    }

    private static void writeText(DataOutputStream out, String s) throws IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readText(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    private static void writeVarint(DataOutputStream out, int v) throws IOException {
        while ((v & ~0x7f) != 0) {
            out.writeByte((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.writeByte(v);
    }

    private static int readVarint(DataInputStream in) throws IOException {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IOException("varint too long");
    }
}
