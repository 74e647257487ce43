package io.facerec.recognizer.results;

import io.facerec.model.result.FaceResult;
import io.facerec.model.result.FrameResult;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.announce.Delivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Frame results, sightings, enrolment status and webhook cooldowns in one DynamoDB table; the key
 * design is {@link ResultKeys}. Frame writes are conditional, so a second delivery of the same
 * content (bucket, key and eTag) writes nothing.
 */
public final class ResultStore {
    /** The frame item's {@code webhookState} while deliveries are owed. */
    public static final String WEBHOOKS_PENDING = "pending";
    /** Free texts (a gallery problem, an error, a delivery's detail) are cut here: an item holds 400 KB. */
    public static final int MAX_TEXT = 2000;
    private final DynamoDbClient ddb;
    private final String table;
    private final int ttlDays;

    public ResultStore(DynamoDbClient ddb, String table, int ttlDays) {
        this.ddb = ddb;
        this.table = table;
        this.ttlDays = ttlDays;
    }

    /**
     * Records the frame, its sightings first (idempotent puts) so that the frame item, written last
     * and only if absent, is the mark of a complete record. The deliveries it owes are written with it,
     * pending, so a retry finds them whatever happened after. Returns false for a duplicate.
     */
    public boolean putFrame(FrameResult r, List<Delivery> deliveries) {
        return putFrame(r, deliveries, List.of());
    }

    /** The same, each face with the id of its person-track ({@code trackIds} in face order, or empty). */
    public boolean putFrame(FrameResult r, List<Delivery> deliveries, List<String> trackIds) {
        for (FaceResult f : r.faces()) {
            if (f.known()) {
                Map<String, AttributeValue> sight = new HashMap<>();
                sight.put(ResultKeys.PK, s(ResultKeys.sightingPk(r.frameId())));
                sight.put(ResultKeys.SK, s(f.label()));
                sight.put(ResultKeys.PERSON_PK, s(ResultKeys.personPk(f.label())));
                sight.put(ResultKeys.PERSON_SK, s(ResultKeys.timeAndCamera(r.captureTime(), r.cameraId())));
                sight.put("cameraId", s(r.cameraId()));
                sight.put("captureTime", s(ResultKeys.time(r.captureTime())));
                sight.put("s3Key", s(r.key()));
                sight.put("similarity", n(f.similarity()));
                sight.put("margin", n(f.margin()));
                sight.put("box", box(f.box()));
                ttl(sight, r.captureTime());
                ddb.putItem(b -> b.tableName(table).item(sight));
            }
        }
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ResultKeys.PK, s(ResultKeys.cameraPk(r.cameraId())));
        item.put(ResultKeys.SK, s(ResultKeys.frameSk(r.captureTime(), r.frameId())));
        item.put(ResultKeys.DAY_PK, s(ResultKeys.dayPk(r.captureTime())));
        item.put(ResultKeys.DAY_SK, s(ResultKeys.timeAndCamera(r.captureTime(), r.cameraId())));
        item.put("type", s("frame"));
        item.put("frameId", s(r.frameId()));
        item.put("cameraId", s(r.cameraId()));
        item.put("captureTime", s(ResultKeys.time(r.captureTime())));
        item.put("bucket", s(r.bucket()));
        item.put("s3Key", s(r.key()));
        if (r.versionId() != null) {
            item.put("versionId", s(r.versionId()));
        }
        if (r.eTag() != null) {
            item.put("eTag", s(r.eTag()));
        }
        item.put("width", n(r.width()));
        item.put("height", n(r.height()));
        item.put("faceCount", n(r.faces().size()));
        List<AttributeValue> faces = new ArrayList<>();
        for (int i = 0; i < r.faces().size(); i++) {
            Map<String, AttributeValue> f = new HashMap<>(face(r.faces().get(i)).m());
            if (i < trackIds.size()) {
                f.put("track", s(trackIds.get(i)));
            }
            faces.add(AttributeValue.fromM(f));
        }
        item.put("faces", AttributeValue.fromL(faces));
        List<String> names = r.faces().stream().filter(FaceResult::known).map(FaceResult::label).distinct().toList();
        if (!names.isEmpty()) {
            item.put("names", AttributeValue.fromSs(names));
        }
        if (r.modelId() != null) {
            item.put("modelId", s(r.modelId()));
        }
        if (r.streamUrl() != null) {
            item.put("streamUrl", s(bounded(r.streamUrl())));
        }
        item.put("processingMs", n(r.processingMillis()));
        if (r.galleryProblem() != null) {
            item.put("galleryProblem", s(bounded(r.galleryProblem())));
        }
        if (r.error() != null) {
            item.put("error", s(bounded(r.error())));
        }
        item.put("webhookState", s(deliveries.isEmpty() ? "none" : WEBHOOKS_PENDING));
        if (!deliveries.isEmpty()) {
            item.put("webhooks", deliveries(deliveries));
        }
        item.put("recordedAt", s(ResultKeys.time(Instant.now())));
        ttl(item, r.captureTime());
        try {
            ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", ResultKeys.PK)));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * Adds the frame's faces to the counters the results API's /stats reads, once per frame item
     * however often the event is delivered: the frame item is claimed first ({@code counted}), and
     * the claim is given back if the counters cannot be written, so the retry counts it. Only a
     * process killed between the two writes loses the frame's counts (it is never counted twice).
     * Frames without faces change no counter and cost nothing.
     */
    public void countOnce(FrameResult r, int gallerySamples) {
        if (r.faces().isEmpty()) {
            return;
        }
        Map<String, AttributeValue> frameKey = Map.of(ResultKeys.PK, s(ResultKeys.cameraPk(r.cameraId())),
                ResultKeys.SK, s(ResultKeys.frameSk(r.captureTime(), r.frameId())));
        try {
            ddb.updateItem(b -> b.tableName(table).key(frameKey).updateExpression("SET counted = :t")
                    .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(counted)")
                    .expressionAttributeNames(Map.of("#pk", ResultKeys.PK))
                    .expressionAttributeValues(Map.of(":t", AttributeValue.fromBool(true))));
        } catch (ConditionalCheckFailedException e) {
            return; // counted by an earlier delivery
        }
        Map<String, Integer> perPerson = new java.util.TreeMap<>();
        int unknown = 0;
        for (FaceResult f : r.faces()) {
            if (f.known()) {
                perPerson.merge(f.label(), 1, Integer::sum);
            } else {
                unknown++;
            }
        }
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder add = new StringBuilder("ADD #faces :faces, #unknown :unknown");
        names.put("#faces", ResultKeys.STATS_FACES);
        names.put("#unknown", ResultKeys.STATS_UNKNOWN);
        values.put(":faces", n(r.faces().size()));
        values.put(":unknown", n(unknown));
        int i = 0;
        for (Map.Entry<String, Integer> e : perPerson.entrySet()) {
            names.put("#p" + i, ResultKeys.STATS_PERSON + e.getKey());
            values.put(":p" + i, n(e.getValue()));
            add.append(", #p").append(i).append(" :p").append(i);
            i++;
        }
        names.put("#samples", ResultKeys.STATS_GALLERY_SAMPLES);
        values.put(":samples", n(gallerySamples));
        String update = add + " SET #samples = :samples";
        try {
            ddb.updateItem(b -> b.tableName(table)
                    .key(Map.of(ResultKeys.PK, s(ResultKeys.STATS_PK), ResultKeys.SK, s(ResultKeys.STATS_SK)))
                    .updateExpression(update).expressionAttributeNames(names).expressionAttributeValues(values));
        } catch (RuntimeException e) {
            try {
                ddb.updateItem(b -> b.tableName(table).key(frameKey).updateExpression("REMOVE counted"));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Where a frame's deliveries stand, written after each round of sending. */
    public void recordDeliveries(FrameResult r, String state, List<Delivery> deliveries) {
        ddb.updateItem(b -> b.tableName(table).key(frameKey(r))
                .updateExpression("SET webhookState = :s, webhooks = :w")
                .expressionAttributeValues(Map.of(":s", s(state), ":w", deliveries(deliveries))));
    }

    /** A frame recorded earlier whose deliveries are still pending: what was recorded, and what it owes. */
    public record PendingFrame(FrameResult frame, List<Delivery> deliveries) {
    }

    /**
     * The frame item {@code probe} would have written, when its deliveries are still pending (a
     * container died, or an invocation ran out of time, after the item was written). Read
     * consistently, so a delivery finished a moment ago is not sent again.
     */
    public Optional<PendingFrame> pendingFrame(FrameResult probe) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).key(frameKey(probe)).consistentRead(true))
                .item();
        if (item == null || item.isEmpty() || !item.containsKey("webhookState")
                || !WEBHOOKS_PENDING.equals(item.get("webhookState").s()) || !item.containsKey("webhooks")) {
            return Optional.empty();
        }
        List<FaceResult> faces = new ArrayList<>();
        for (AttributeValue f : item.get("faces").l()) {
            faces.add(face(f.m()));
        }
        FrameResult frame = new FrameResult(probe.frameId(), item.get("cameraId").s(), probe.captureTime(),
                item.get("bucket").s(), item.get("s3Key").s(), text(item, "versionId"), text(item, "eTag"),
                (int) number(item, "width"), (int) number(item, "height"), faces, text(item, "modelId"),
                number(item, "processingMs"), text(item, "galleryProblem"), text(item, "error"), text(item, "streamUrl"));
        List<Delivery> deliveries = new ArrayList<>();
        for (AttributeValue d : item.get("webhooks").l()) {
            Map<String, AttributeValue> m = d.m();
            deliveries.add(new Delivery(m.get("id").s(), Integer.parseInt(m.get("face").s()), m.get("name").s(),
                    Delivery.State.valueOf(m.get("status").s()), Integer.parseInt(m.get("attempts").s()),
                    m.get("detail").s(), m.containsKey("track") ? subject(m.get("track").m()) : null));
        }
        return Optional.of(new PendingFrame(frame, deliveries));
    }

    /**
     * Claims the per-camera, per-person announcement slot for delivery {@code claimId}: granted when
     * nobody announced this person on this camera within {@code cooldown} and no other delivery holds a
     * claim that has not lapsed. The claim lapses at {@code leaseUntil} (the invocation's deadline).
     */
    public boolean claimCooldown(String cameraId, String name, String claimId, Instant now, Duration cooldown,
                                 Instant leaseUntil) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(cooldownKey(cameraId, name))
                    .updateExpression("SET claimId = :id, claimUntil = :lease, " + ResultKeys.TTL + " = :ttl")
                    .conditionExpression("(attribute_not_exists(lastAnnounced) OR lastAnnounced <= :since) AND "
                            + "(attribute_not_exists(claimUntil) OR claimUntil < :now OR claimId = :id)")
                    .expressionAttributeValues(Map.of(":id", s(claimId), ":lease", n(leaseUntil.toEpochMilli()),
                            ":now", n(now.toEpochMilli()), ":since", n(now.minus(cooldown).toEpochMilli()),
                            ":ttl", n(ttlOfCooldown(now, cooldown)))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** A delivery succeeded: the slot is taken from now for the cooldown, and the claim is let go. */
    public void confirmCooldown(String cameraId, String name, String claimId, Instant now, Duration cooldown) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(cooldownKey(cameraId, name))
                    .updateExpression("SET lastAnnounced = :now, " + ResultKeys.TTL + " = :ttl REMOVE claimId, claimUntil")
                    .conditionExpression("claimId = :id")
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()), ":id", s(claimId),
                            ":ttl", n(ttlOfCooldown(now, cooldown)))));
        } catch (ConditionalCheckFailedException e) {
            // our claim lapsed and another delivery holds one: stamp the time, leave its claim alone
            ddb.updateItem(b -> b.tableName(table).key(cooldownKey(cameraId, name))
                    .updateExpression("SET lastAnnounced = :now, " + ResultKeys.TTL + " = :ttl")
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()),
                            ":ttl", n(ttlOfCooldown(now, cooldown)))));
        }
    }

    /** A delivery failed or ran out of time: the slot is free again for the next frame. */
    public void releaseCooldown(String cameraId, String name, String claimId) {
        try {
            ddb.updateItem(b -> b.tableName(table).key(cooldownKey(cameraId, name))
                    .updateExpression("REMOVE claimId, claimUntil").conditionExpression("claimId = :id")
                    .expressionAttributeValues(Map.of(":id", s(claimId))));
        } catch (ConditionalCheckFailedException e) {
            // not ours any more
        }
    }

    private static long ttlOfCooldown(Instant now, Duration cooldown) {
        return now.plus(cooldown).plusSeconds(3600).getEpochSecond();
    }

    private static Map<String, AttributeValue> cooldownKey(String cameraId, String name) {
        return Map.of(ResultKeys.PK, s(ResultKeys.cooldownPk(cameraId, name)), ResultKeys.SK, s("-"));
    }

    private static Map<String, AttributeValue> frameKey(FrameResult r) {
        return Map.of(ResultKeys.PK, s(ResultKeys.cameraPk(r.cameraId())),
                ResultKeys.SK, s(ResultKeys.frameSk(r.captureTime(), r.frameId())));
    }

    private static AttributeValue deliveries(List<Delivery> deliveries) {
        List<AttributeValue> list = new ArrayList<>();
        for (Delivery d : deliveries) {
            Map<String, AttributeValue> m = new HashMap<>(Map.of("id", s(d.id()), "face", s(Integer.toString(d.face())),
                    "name", s(d.name()), "status", s(d.state().name()), "attempts", s(Integer.toString(d.attempts())),
                    "detail", s(bounded(d.detail()))));
            if (d.subject() != null) {
                Delivery.Subject t = d.subject();
                m.put("track", AttributeValue.fromM(Map.of("id", s(t.trackId()), "decision", s(t.decision()),
                        "capturedAt", n(t.captureMillis()), "box", box(t.box()), "similarity", n(t.similarity()),
                        "faces", n(t.faces()), "firstAt", n(t.firstMillis()))));
            }
            list.add(AttributeValue.fromM(m));
        }
        return AttributeValue.fromL(list);
    }

    private static Delivery.Subject subject(Map<String, AttributeValue> m) {
        Map<String, AttributeValue> b = m.get("box").m();
        return new Delivery.Subject(m.get("id").s(), m.get("decision").s(), number(m, "capturedAt"),
                new FaceResult.FaceBox((int) number(b, "left"), (int) number(b, "top"), (int) number(b, "right"),
                        (int) number(b, "bottom")),
                Double.parseDouble(m.get("similarity").n()), (int) number(m, "faces"), number(m, "firstAt"));
    }

    /**
     * Enrolment outcome for one person: each photo and what became of it, as of gallery commit
     * {@code generation}. Concurrent enrolments finish in any order; an outcome older than the one
     * recorded is dropped, so the item always describes the newest gallery.
     */
    public void putEnrolment(String name, Map<String, String> photos, int samples, Instant at, long generation) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ResultKeys.PK, s(ResultKeys.enrolmentPk(name)));
        item.put(ResultKeys.SK, s("STATUS"));
        item.put("type", s("enrolment"));
        item.put("name", s(name));
        item.put("samples", n(samples));
        Map<String, AttributeValue> p = new HashMap<>();
        photos.forEach((k, v) -> p.put(k, s(v)));
        item.put("photos", AttributeValue.fromM(p));
        item.put("updatedAt", s(ResultKeys.time(at)));
        item.put("generation", n(generation));
        try {
            ddb.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(generation) OR generation <= :g")
                    .expressionAttributeValues(Map.of(":g", n(generation))));
        } catch (ConditionalCheckFailedException e) {
            // a newer commit's outcome is there already
        }
    }

    private void ttl(Map<String, AttributeValue> item, Instant captureTime) {
        if (ttlDays > 0) {
            item.put(ResultKeys.TTL, n(captureTime.plus(Duration.ofDays(ttlDays)).getEpochSecond()));
        }
    }

    private static FaceResult face(Map<String, AttributeValue> m) {
        AttributeValue label = m.get("label");
        Map<String, AttributeValue> box = m.get("box").m();
        return new FaceResult(label.nul() != null && label.nul() ? null : label.s(), m.get("known").bool(),
                Double.parseDouble(m.get("similarity").n()), Double.parseDouble(m.get("margin").n()),
                new FaceResult.FaceBox((int) number(box, "left"), (int) number(box, "top"), (int) number(box, "right"),
                        (int) number(box, "bottom")),
                Double.parseDouble(m.get("score").n()), Double.parseDouble(m.get("quality").n()));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Math.round(Double.parseDouble(v.n()));
    }

    private static AttributeValue face(FaceResult f) {
        Map<String, AttributeValue> m = new HashMap<>();
        m.put("label", f.label() == null ? AttributeValue.fromNul(true) : s(f.label()));
        m.put("known", AttributeValue.fromBool(f.known()));
        m.put("similarity", n(f.similarity()));
        m.put("margin", n(f.margin()));
        m.put("score", n(f.score()));
        m.put("quality", n(f.quality()));
        m.put("box", box(f.box()));
        return AttributeValue.fromM(m);
    }

    private static AttributeValue box(FaceResult.FaceBox b) {
        return AttributeValue.fromM(Map.of("left", n(b.left()), "top", n(b.top()), "right", n(b.right()),
                "bottom", n(b.bottom())));
    }

    /** At most {@link #MAX_TEXT} characters, saying how long the whole was when cut. */
    static String bounded(String text) {
        if (text.length() <= MAX_TEXT) {
            return text;
        }
        int end = Character.isHighSurrogate(text.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
        return text.substring(0, end) + "... (" + text.length() + " characters)";
    }

    static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    static AttributeValue n(double v) {
        return AttributeValue.fromN(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v)
                : Double.toString(Math.round(v * 1e4) / 1e4));
    }
}
