package io.facerec.api.bench;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import io.facerec.api.auth.ApiKeyAuthenticator;
import io.facerec.api.config.ApiConfig;
import io.facerec.api.handler.ResultsApi;
import io.facerec.api.handler.ResultsApiHandler;
import io.facerec.loopback.Dynalite;
import io.facerec.loopback.ResultTableSchema;
import io.facerec.model.result.FaceResult;
import io.facerec.model.result.FrameResult;
import io.facerec.model.result.ResultKeys;
import io.facerec.recognizer.results.ResultStore;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * p50/p95 of GET /api/results?limit=20 and GET /api/stats through the Lambda handler, against
 * dynalite holding {@code items} items (default 100,000) laid out as the recognizer writes them:
 * the items are made by the recognizer's own {@link ResultStore} (its puts are captured and written
 * in batches, to seed in a minute instead of an hour), over the last three days, 80% of frames with
 * a face, 60% of faces known (each with its sighting item). Not a test: it prints figures.
 */
public final class ResultsApiBench {
    public static void main(String[] args) throws Exception {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int calls = args.length > 1 ? Integer.parseInt(args[1]) : 400;
        try (Dynalite dynalite = Dynalite.start()) {
            DynamoDbClient ddb = dynalite.client();
            String table = "facerec-results";
            ResultTableSchema.ensure(ddb, table);
            long t0 = System.nanoTime();
            Map<String, Long> perPerson = new HashMap<>();
            long[] faces = new long[2];
            List<Map<String, AttributeValue>> rows = seedRows(table, items, perPerson, faces);
            write(ddb, table, rows);
            writeCounters(ddb, table, perPerson, faces);
            System.out.printf("seeded %,d items in %.1f s (%,d faces, %d people)%n", rows.size() + 1,
                    (System.nanoTime() - t0) / 1e9, faces[0], perPerson.size());

            Map<String, String> env = Map.of("RESULTS_TABLE", table, "GALLERY_BUCKET", "unused");
            ResultsApiHandler handler = new ResultsApiHandler(ResultsApi.create(ApiConfig.from(env), ddb, null,
                    new ApiKeyAuthenticator(() -> "bench-key-0123456789abcdef", Duration.ZERO, Clock.systemUTC()),
                    Clock.systemUTC()));
            for (String path : List.of("/api/results?limit=20", "/api/stats", "/api/results/person-3?limit=20")) {
                measure(handler, path, calls);
            }
        }
    }

    static List<Map<String, AttributeValue>> seedRows(String table, int items, Map<String, Long> perPerson, long[] faces) {
        List<Map<String, AttributeValue>> rows = new ArrayList<>(items);
        DynamoDbClient capture = capturing(rows);
        ResultStore store = new ResultStore(capture, table, 30);
        Random rnd = new Random(42);
        Instant now = Instant.now();
        long span = Duration.ofDays(3).toMillis();
        for (int i = 0; rows.size() < items; i++) {
            Instant t = now.minusMillis(span - (long) i * 2700 % span);
            List<FaceResult> fs = new ArrayList<>();
            if (rnd.nextDouble() < 0.8) {
                boolean known = rnd.nextDouble() < 0.6;
                String name = known ? "person-" + rnd.nextInt(20) : "unknown";
                fs.add(new FaceResult(name, known, known ? 0.6 + rnd.nextDouble() * 0.3 : 0.2 + rnd.nextDouble() * 0.2,
                        0.2, new FaceResult.FaceBox(100, 80, 220, 230), 0.98, 3.4));
                faces[0]++;
                if (known) {
                    perPerson.merge(name, 1L, Long::sum);
                } else {
                    faces[1]++;
                }
            }
            store.putFrame(new FrameResult(String.format("bench%08d", i), "cam" + (i % 3), t, "bucket",
                    "frames/cam/" + i + ".jpg", null, "e" + i, 640, 480, fs, "bench-model", 50, null, null), List.of());
        }
        return rows;
    }

    /** A client whose puts are kept, not sent (the conditional put of a new key always succeeds). */
    static DynamoDbClient capturing(List<Map<String, AttributeValue>> rows) {
        return (DynamoDbClient) Proxy.newProxyInstance(DynamoDbClient.class.getClassLoader(), new Class<?>[] {DynamoDbClient.class},
                (p, m, a) -> {
                    if (m.getName().equals("putItem")) {
                        PutItemRequest r;
                        if (a[0] instanceof PutItemRequest req) {
                            r = req;
                        } else {
                            PutItemRequest.Builder b = PutItemRequest.builder();
                            @SuppressWarnings("unchecked")
                            Consumer<PutItemRequest.Builder> c = (Consumer<PutItemRequest.Builder>) a[0];
                            c.accept(b);
                            r = b.build();
                        }
                        rows.add(r.item());
                        return PutItemResponse.builder().build();
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    static void write(DynamoDbClient ddb, String table, List<Map<String, AttributeValue>> rows) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int from = 0; from < rows.size(); from += 25) {
            List<WriteRequest> batch = rows.subList(from, Math.min(rows.size(), from + 25)).stream()
                    .map(r -> WriteRequest.builder().putRequest(PutRequest.builder().item(r).build()).build()).toList();
            done.add(pool.submit(() -> {
                Map<String, List<WriteRequest>> left = Map.of(table, batch);
                while (!left.isEmpty()) {
                    Map<String, List<WriteRequest>> req = left;
                    left = ddb.batchWriteItem(b -> b.requestItems(req)).unprocessedItems();
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
    }

    static void writeCounters(DynamoDbClient ddb, String table, Map<String, Long> perPerson, long[] faces) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(ResultKeys.PK, AttributeValue.fromS(ResultKeys.STATS_PK));
        item.put(ResultKeys.SK, AttributeValue.fromS(ResultKeys.STATS_SK));
        item.put(ResultKeys.STATS_FACES, AttributeValue.fromN(Long.toString(faces[0])));
        item.put(ResultKeys.STATS_UNKNOWN, AttributeValue.fromN(Long.toString(faces[1])));
        item.put(ResultKeys.STATS_GALLERY_SAMPLES, AttributeValue.fromN("40"));
        perPerson.forEach((k, v) -> item.put(ResultKeys.STATS_PERSON + k, AttributeValue.fromN(Long.toString(v))));
        ddb.putItem(b -> b.tableName(table).item(item));
    }

    static void measure(ResultsApiHandler handler, String pathAndQuery, int calls) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        Map<String, String> query = q < 0 ? null : Map.of("limit", pathAndQuery.substring(q + 7));
        APIGatewayV2HTTPEvent e = APIGatewayV2HTTPEvent.builder().withRawPath(path).withQueryStringParameters(query)
                .withHeaders(Map.of("authorization", "Bearer bench-key-0123456789abcdef"))
                .withRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder().withRequestId("bench")
                        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("GET").build()).build())
                .build();
        int status = 0;
        for (int i = 0; i < 50; i++) {
            status = handler.handleRequest(e, null).getStatusCode();
        }
        if (status != 200) {
            throw new IllegalStateException(pathAndQuery + " answered " + status);
        }
        double[] ms = new double[calls];
        int bodyLength = 0;
        for (int i = 0; i < calls; i++) {
            long s = System.nanoTime();
            bodyLength = handler.handleRequest(e, null).getBody().length();
            ms[i] = (System.nanoTime() - s) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("GET %-32s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (%d calls, %d-byte answer)%n", pathAndQuery,
                ms[calls / 2], ms[(int) (calls * 0.95)], ms[(int) (calls * 0.99)], calls, bodyLength);
    }
}
