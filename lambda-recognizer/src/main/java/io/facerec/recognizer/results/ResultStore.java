package io.facerec.recognizer.results;

import io.facerec.model.result.FaceResult;
import io.facerec.model.result.FrameResult;
import io.facerec.model.result.ResultKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * Frame results, sightings, enrolment status and webhook cooldowns in one DynamoDB table; the key
 * design is {@link ResultKeys}. Frame writes are conditional, so a second delivery of the same
 * content (bucket, key and eTag) writes nothing.
 */
public final class ResultStore {
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
     * and only if absent, is the mark of a complete record. Returns false for a duplicate.
     */
    public boolean putFrame(FrameResult r, String webhookState) {
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
        item.put("faces", AttributeValue.fromL(r.faces().stream().map(ResultStore::face).toList()));
        List<String> names = r.faces().stream().filter(FaceResult::known).map(FaceResult::label).distinct().toList();
        if (!names.isEmpty()) {
            item.put("names", AttributeValue.fromSs(names));
        }
        if (r.modelId() != null) {
            item.put("modelId", s(r.modelId()));
        }
        item.put("processingMs", n(r.processingMillis()));
        if (r.galleryProblem() != null) {
            item.put("galleryProblem", s(bounded(r.galleryProblem())));
        }
        if (r.error() != null) {
            item.put("error", s(bounded(r.error())));
        }
        item.put("webhookState", s(webhookState));
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

    /** The webhook deliveries' outcome, once they are done. */
    public void recordWebhooks(FrameResult r, String state, List<Map<String, String>> deliveries) {
        List<AttributeValue> list = new ArrayList<>();
        for (Map<String, String> d : deliveries) {
            Map<String, AttributeValue> m = new HashMap<>();
            d.forEach((k, v) -> m.put(k, s(bounded(v))));
            list.add(AttributeValue.fromM(m));
        }
        ddb.updateItem(b -> b.tableName(table)
                .key(Map.of(ResultKeys.PK, s(ResultKeys.cameraPk(r.cameraId())),
                        ResultKeys.SK, s(ResultKeys.frameSk(r.captureTime(), r.frameId()))))
                .updateExpression("SET webhookState = :s, webhooks = :w")
                .expressionAttributeValues(Map.of(":s", s(state), ":w", AttributeValue.fromL(list))));
    }

    /**
     * Takes the per-camera, per-person announcement slot: true when nobody announced this person on
     * this camera within {@code cooldown} (atomic across concurrent invocations).
     */
    public boolean takeCooldown(String cameraId, String name, Instant now, Duration cooldown) {
        if (cooldown.isZero()) {
            return true;
        }
        try {
            ddb.updateItem(b -> b.tableName(table)
                    .key(Map.of(ResultKeys.PK, s(ResultKeys.cooldownPk(cameraId, name)), ResultKeys.SK, s("-")))
                    .updateExpression("SET lastAnnounced = :now, " + ResultKeys.TTL + " = :ttl")
                    .conditionExpression("attribute_not_exists(lastAnnounced) OR lastAnnounced <= :since")
                    .expressionAttributeValues(Map.of(":now", n(now.toEpochMilli()),
                            ":since", n(now.minus(cooldown).toEpochMilli()),
                            ":ttl", n(now.plus(cooldown).plusSeconds(3600).getEpochSecond()))));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
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
