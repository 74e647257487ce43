package io.facerec.recognizer.unknown;

import io.facerec.model.gallery.PersonNames;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.track.CameraTracks;
import io.facerec.recognizer.track.Embedding;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Lasting identities for people nobody enrolled: each person-track that ends without a name joins the
 * cluster whose mean face it agrees with (the matcher's own test of one person, as between two
 * faces), on any camera and at any time, or starts a new one ("unknown #7, seen 12 times since
 * Monday"). A cluster keeps its latest samples, each with the S3 key of its track's face crop. A
 * cluster is promoted to an enrolled person by copying its crops to {@code enroll/<name>/}, which
 * enrols them as any uploaded photo is.
 *
 * <p>Items: see {@link ResultKeys} (partition {@value ResultKeys#UNKNOWN_PK}). A track joins once: a
 * repeat of the same track (a retried event) finds itself among the samples and changes nothing.
 * Each cluster item is written conditionally on its version, so concurrent joins are both kept.
 */
public final class UnknownClusters {
    private static final Logger LOG = LogManager.getLogger(UnknownClusters.class);
    /** Samples kept per cluster (the newest): the crops a promotion enrols. */
    static final int KEEP_SAMPLES = 12;
    static final int ATTEMPTS = 5;

    private final DynamoDbClient ddb;
    private final String table;
    private final Duration keep;
    private final Clock clock;

    /** {@code keep}: how long a cluster lasts after its last sighting (its crops as long, by lifecycle). */
    public UnknownClusters(DynamoDbClient ddb, String table, Duration keep, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.keep = keep;
        this.clock = clock;
    }

    /** One sighting: a track of a camera, when it began, and its crop's S3 key (or null). */
    public record Sample(String track, String camera, Instant at, String crop) {
    }

    /** A cluster as stored. */
    public record Cluster(long number, Embedding mean, int tracks, int faces, Instant firstSeen, Instant lastSeen,
                          Set<String> cameras, List<Sample> samples, String promotedTo, long version) {
    }

    /** Adds an unnamed track of {@code camera}; returns the cluster's number. {@code bar}: the matcher's threshold. */
    public long add(String camera, CameraTracks.Ended track, String cropKey, double bar) {
        String trackKey = camera + "/" + track.trackId();
        Sample sample = new Sample(trackKey, camera, Instant.ofEpochMilli(track.firstMillis()), cropKey);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<Cluster> all = list();
            Cluster best = null;
            double bestSim = Double.NEGATIVE_INFINITY;
            for (Cluster c : all) {
                if (c.samples().stream().anyMatch(s -> s.track().equals(trackKey))) {
                    return c.number(); // joined before this retry
                }
                double sim = c.mean().cosine(track.mean());
                if (sim >= bar && sim > bestSim) {
                    best = c;
                    bestSim = sim;
                }
            }
            try {
                if (best == null) {
                    long n = nextNumber();
                    put(new Cluster(n, track.mean(), 1, track.faces(), sample.at(), Instant.ofEpochMilli(track.lastMillis()),
                            Set.of(camera), List.of(sample), null, 0));
                    LOG.info("track {} of camera {} starts unknown #{}", track.trackId(), camera, n);
                    return n;
                }
                put(joined(best, track, sample));
                LOG.info("track {} of camera {} joins unknown #{} (similarity {})", track.trackId(), camera, best.number(),
                        String.format(java.util.Locale.ROOT, "%.3f", bestSim));
                return best.number();
            } catch (ConditionalCheckFailedException e) {
                LOG.info("unknown clusters changed while track {} joined them; reading them again", trackKey);
            }
        }
        throw new IllegalStateException("the clusters of unknown faces changed under track " + trackKey + " "
                + ATTEMPTS + " times");
    }

    private static Cluster joined(Cluster c, CameraTracks.Ended t, Sample s) {
        float[] mean = new float[c.mean().dimension()];
        add(mean, c.mean(), c.faces());
        add(mean, t.mean(), t.faces());
        Set<String> cameras = new HashSet<>(c.cameras());
        cameras.add(s.camera());
        List<Sample> samples = new ArrayList<>(c.samples());
        samples.add(s);
        samples.sort(Comparator.comparing(Sample::at));
        while (samples.size() > KEEP_SAMPLES) {
            samples.remove(0);
        }
        Instant first = c.firstSeen().isBefore(s.at()) ? c.firstSeen() : s.at();
        Instant last = Instant.ofEpochMilli(Math.max(c.lastSeen().toEpochMilli(), t.lastMillis()));
        return new Cluster(c.number(), Embedding.of(mean), c.tracks() + 1, c.faces() + t.faces(), first, last, cameras,
                samples, c.promotedTo(), c.version());
    }

    /** Adds a mean face, as a unit vector, weighted by its faces. */
    private static void add(float[] into, Embedding e, int weight) {
        double n = 0;
        for (byte b : e.q()) {
            n += b * b;
        }
        if (n == 0) {
            return;
        }
        for (int i = 0; i < into.length; i++) {
            into[i] += (float) (e.q()[i] / Math.sqrt(n) * weight);
        }
    }

    private long nextNumber() {
        var r = ddb.updateItem(b -> b.tableName(table)
                .key(Map.of(ResultKeys.PK, s(ResultKeys.UNKNOWN_PK), ResultKeys.SK, s(ResultKeys.CLUSTER_COUNTER_SK)))
                .updateExpression("ADD #n :one").expressionAttributeNames(Map.of("#n", "next"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))).returnValues(ReturnValue.UPDATED_NEW));
        return Long.parseLong(r.attributes().get("next").n());
    }

    private void put(Cluster c) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ResultKeys.PK, s(ResultKeys.UNKNOWN_PK));
        item.put(ResultKeys.SK, s(ResultKeys.clusterSk(c.number())));
        item.put("type", s("unknownCluster"));
        item.put("number", AttributeValue.fromN(Long.toString(c.number())));
        ByteBuffer mean = ByteBuffer.allocate(4 + c.mean().dimension()).putFloat(c.mean().scale()).put(c.mean().q());
        item.put("mean", AttributeValue.fromB(SdkBytes.fromByteArray(mean.array())));
        item.put("tracks", AttributeValue.fromN(Integer.toString(c.tracks())));
        item.put("faces", AttributeValue.fromN(Integer.toString(c.faces())));
        item.put("firstSeen", s(ResultKeys.time(c.firstSeen())));
        item.put("lastSeen", s(ResultKeys.time(c.lastSeen())));
        item.put("cameras", AttributeValue.fromSs(List.copyOf(c.cameras())));
        List<AttributeValue> samples = new ArrayList<>();
        for (Sample x : c.samples()) {
            Map<String, AttributeValue> m = new HashMap<>(Map.of("track", s(x.track()), "camera", s(x.camera()),
                    "at", s(ResultKeys.time(x.at()))));
            if (x.crop() != null) {
                m.put("crop", s(x.crop()));
            }
            samples.add(AttributeValue.fromM(m));
        }
        item.put("samples", AttributeValue.fromL(samples));
        if (c.promotedTo() != null) {
            item.put("promotedTo", s(c.promotedTo()));
        }
        item.put("v", AttributeValue.fromN(Long.toString(c.version() + 1)));
        item.put(ResultKeys.TTL, AttributeValue.fromN(Long.toString(c.lastSeen().plus(keep).getEpochSecond())));
        if (c.version() == 0) {
            ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("attribute_not_exists(#pk)")
                    .expressionAttributeNames(Map.of("#pk", ResultKeys.PK)));
        } else {
            ddb.putItem(b -> b.tableName(table).item(item).conditionExpression("v = :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(c.version())))));
        }
    }

    /** Every cluster, by number. */
    public List<Cluster> list() {
        List<Cluster> out = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = ddb.query(b -> b.tableName(table).consistentRead(true)
                    .keyConditionExpression("pk = :p AND begins_with(sk, :c)")
                    .expressionAttributeValues(Map.of(":p", s(ResultKeys.UNKNOWN_PK), ":c", s(ResultKeys.CLUSTER_SK_PREFIX)))
                    .exclusiveStartKey(from));
            page.items().forEach(i -> out.add(cluster(i)));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return out;
    }

    /** One cluster, read consistently. */
    public Optional<Cluster> get(long number) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(ResultKeys.PK, s(ResultKeys.UNKNOWN_PK), ResultKeys.SK, s(ResultKeys.clusterSk(number))))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(cluster(item));
    }

    /** What a promotion did: the photos it put under {@code enroll/<name>/}, and the crops already gone. */
    public record Promotion(String name, List<String> enrolled, List<String> missing) {
    }

    /**
     * Enrols cluster {@code number} as {@code name}: each sample's crop is copied to
     * {@code enroll/<name>/unknown-<number>-<n>.jpg} (which enrols it), then the cluster is marked
     * promoted. A name the gallery would refuse, an unknown cluster, or one without any crop left is
     * refused with the reason, before anything is written.
     */
    public Promotion promote(S3Client s3, String bucket, long number, String name) {
        String person = PersonNames.normalise(name);
        Optional<String> problem = PersonNames.problem(person);
        if (problem.isPresent()) {
            throw new IllegalArgumentException("the name " + PersonNames.quoted(person) + " " + problem.get());
        }
        if (person.contains("/")) {
            throw new IllegalArgumentException("the name " + PersonNames.quoted(person)
                    + " holds '/': it names a folder under enroll/");
        }
        Cluster c = get(number).orElseThrow(() -> new IllegalArgumentException("there is no unknown #" + number));
        List<String> crops = c.samples().stream().map(Sample::crop).filter(k -> k != null).toList();
        if (crops.isEmpty()) {
            throw new IllegalArgumentException("unknown #" + number + " has no face crop to enrol");
        }
        List<String> enrolled = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < crops.size(); i++) {
            String from = crops.get(i);
            String to = "enroll/" + person + "/unknown-" + number + "-" + (i + 1) + ".jpg";
            try {
                s3.copyObject(b -> b.sourceBucket(bucket).sourceKey(from).destinationBucket(bucket).destinationKey(to));
                enrolled.add(to);
            } catch (NoSuchKeyException e) {
                missing.add(from); // removed by the lifecycle rule
            }
        }
        if (enrolled.isEmpty()) {
            throw new IllegalArgumentException("the face crops of unknown #" + number + " are gone (kept "
                    + keep.toDays() + " days): " + missing);
        }
        ddb.updateItem(b -> b.tableName(table)
                .key(Map.of(ResultKeys.PK, s(ResultKeys.UNKNOWN_PK), ResultKeys.SK, s(ResultKeys.clusterSk(number))))
                .updateExpression("SET promotedTo = :n, promotedAt = :t")
                .expressionAttributeValues(Map.of(":n", s(person), ":t", s(ResultKeys.time(clock.instant())))));
        return new Promotion(person, enrolled, missing);
    }

    private static Cluster cluster(Map<String, AttributeValue> i) {
        ByteBuffer b = i.get("mean").b().asByteBuffer();
        float scale = b.getFloat();
        byte[] q = new byte[b.remaining()];
        b.get(q);
        List<Sample> samples = new ArrayList<>();
        for (AttributeValue v : i.get("samples").l()) {
            Map<String, AttributeValue> m = v.m();
            samples.add(new Sample(m.get("track").s(), m.get("camera").s(), Instant.parse(m.get("at").s()),
                    m.containsKey("crop") ? m.get("crop").s() : null));
        }
        return new Cluster(Long.parseLong(i.get("number").n()), new Embedding(q, scale), Integer.parseInt(i.get("tracks").n()),
                Integer.parseInt(i.get("faces").n()), Instant.parse(i.get("firstSeen").s()), Instant.parse(i.get("lastSeen").s()),
                Set.copyOf(i.get("cameras").ss()), samples, i.containsKey("promotedTo") ? i.get("promotedTo").s() : null,
                Long.parseLong(i.get("v").n()));
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }
}
