package io.facerec.api.results;

import io.facerec.model.result.ResultKeys;
import io.facerec.model.webhook.WebhookPayload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Reads what the recognizer wrote, through the table's keys and indexes ({@link ResultKeys}), never
 * a scan: the counters item for totals, index {@code byDay} (newest day first, newest frame first)
 * for the latest faces, index {@code byPerson} for one person's sightings. Every read is bounded: a
 * query stops at the faces asked for, at {@code lookbackDays} days, or at {@code maxItemsRead} items.
 */
public final class ResultReader {
    /** Items per page of a filtered query at most (frames without faces are read and dropped). */
    static final int PAGE = 100;

    private final DynamoDbClient ddb;
    private final String table;
    private final int lookbackDays;
    private final int maxItemsRead;
    private final Clock clock;

    /** The counters the recognizer keeps. */
    public record Stats(long faces, long unknown, Map<String, Long> perPerson, long gallerySamples) {
        public static final Stats EMPTY = new Stats(0, 0, Map.of(), 0);
    }

    /** One face as the app shows it, with the time used to order faces. */
    public record Face(String captureTime, WebhookPayload.Result result) {
    }

    public ResultReader(DynamoDbClient ddb, String table, int lookbackDays, int maxItemsRead, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.lookbackDays = lookbackDays;
        this.maxItemsRead = maxItemsRead;
        this.clock = clock;
    }

    public Stats stats() {
        GetItemResponse r = ddb.getItem(b -> b.tableName(table)
                .key(Map.of(ResultKeys.PK, s(ResultKeys.STATS_PK), ResultKeys.SK, s(ResultKeys.STATS_SK))));
        if (!r.hasItem()) {
            return Stats.EMPTY;
        }
        Map<String, Long> people = new TreeMap<>();
        r.item().forEach((k, v) -> {
            if (k.startsWith(ResultKeys.STATS_PERSON) && v.n() != null) {
                people.put(k.substring(ResultKeys.STATS_PERSON.length()), Long.parseLong(v.n()));
            }
        });
        return new Stats(number(r.item(), ResultKeys.STATS_FACES), number(r.item(), ResultKeys.STATS_UNKNOWN), people,
                number(r.item(), ResultKeys.STATS_GALLERY_SAMPLES));
    }

    /** The newest {@code limit} faces across cameras, newest first. */
    public List<Face> latestFaces(int limit) {
        List<Face> out = new ArrayList<>();
        int read = 0;
        // tomorrow first: a camera clock a little ahead of ours still shows
        Instant day = clock.instant().plus(Duration.ofDays(1));
        for (int d = 0; d <= lookbackDays && out.size() < limit && read < maxItemsRead; d++, day = day.minus(Duration.ofDays(1))) {
            Map<String, AttributeValue> start = null;
            do {
                QueryRequest q = QueryRequest.builder().tableName(table).indexName(ResultKeys.BY_DAY)
                        .keyConditionExpression("#pk = :pk").filterExpression("faceCount > :zero")
                        .projectionExpression("captureTime, faces")
                        .expressionAttributeNames(Map.of("#pk", ResultKeys.DAY_PK))
                        .expressionAttributeValues(Map.of(":pk", s(ResultKeys.dayPk(day)), ":zero", AttributeValue.fromN("0")))
                        .scanIndexForward(false).limit(pageSize(limit - out.size(), maxItemsRead - read))
                        .exclusiveStartKey(start).build();
                QueryResponse r = ddb.query(q);
                read += r.scannedCount() == null ? r.count() : r.scannedCount();
                for (Map<String, AttributeValue> item : r.items()) {
                    out.addAll(facesOf(item));
                }
                start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
            } while (start != null && out.size() < limit && read < maxItemsRead);
        }
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    /** Twice the faces still wanted (most frames have one), so /latest reads a handful of items, not a page of 100. */
    static int pageSize(int wanted, int budget) {
        return Math.max(1, Math.min(Math.min(PAGE, budget), Math.max(10, wanted * 2)));
    }

    /** The newest {@code limit} sightings of any of {@code labels} (the spellings of one name), newest first. */
    public List<Face> personFaces(Collection<String> labels, int limit) {
        List<Face> out = new ArrayList<>();
        for (String label : labels) {
            QueryResponse r = ddb.query(b -> b.tableName(table).indexName(ResultKeys.BY_PERSON)
                    .keyConditionExpression("#pk = :pk")
                    .projectionExpression("captureTime, similarity, box")
                    .expressionAttributeNames(Map.of("#pk", ResultKeys.PERSON_PK))
                    .expressionAttributeValues(Map.of(":pk", s(ResultKeys.personPk(label))))
                    .scanIndexForward(false).limit(limit));
            for (Map<String, AttributeValue> item : r.items()) {
                String t = string(item, "captureTime");
                out.add(new Face(t, WebhookPayload.Result.of(t, label, numberD(item, "similarity"), box(item.get("box")))));
            }
        }
        out.sort(Comparator.comparing(Face::captureTime).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    private static List<Face> facesOf(Map<String, AttributeValue> item) {
        String t = string(item, "captureTime");
        List<Face> faces = new ArrayList<>();
        AttributeValue list = item.get("faces");
        if (list == null || !list.hasL()) {
            return faces;
        }
        for (AttributeValue f : list.l()) {
            Map<String, AttributeValue> m = f.m();
            boolean known = m.get("known") != null && Boolean.TRUE.equals(m.get("known").bool());
            String label = m.get("label") == null ? null : m.get("label").s();
            double similarity = numberD(m, "similarity");
            String name = known && label != null ? label : WebhookPayload.UNKNOWN_NAME;
            faces.add(new Face(t, WebhookPayload.Result.of(t, name, similarity, box(m.get("box")))));
        }
        return faces;
    }

    private static WebhookPayload.Box box(AttributeValue v) {
        if (v == null || !v.hasM()) {
            return null; // sightings written before boxes were kept on them
        }
        Map<String, AttributeValue> b = v.m();
        return new WebhookPayload.Box((int) number(b, "top"), (int) number(b, "right"), (int) number(b, "bottom"),
                (int) number(b, "left"));
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : (long) Double.parseDouble(v.n());
    }

    private static double numberD(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.n() == null ? 0 : Double.parseDouble(v.n());
    }

    private static String string(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null || v.s() == null ? "" : v.s();
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
