package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.facerec.loopback.Dynalite;
import io.facerec.loopback.ResultTableSchema;
import io.facerec.loopback.S3Server;
import io.facerec.model.result.ResultKeys;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The page's unknown people: the clusters the recognizer stored, their crops, and the button that
 * enrols one, which runs the recognizer jar's own promotion command against this stack.
 */
class LocalPageUnknownTest {
    static final String BUCKET = "page-unknown";
    static final String TABLE = "page-unknown-results";
    static final ObjectMapper JSON = new ObjectMapper();

    static int post(int port, String path, String origin) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n") + "Content-Length: 0\r\nConnection: close\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return Integer.parseInt(new String(in.readNBytes(12), StandardCharsets.US_ASCII).substring(9, 12));
        }
    }

    @Test
    void theClustersAreShownWithTheirCropsAndTheButtonEnrolsOne(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("facerec.root", "..")).toAbsolutePath().normalize();
        try (S3Server server = new S3Server(null); var s3 = server.client(); Dynalite dyn = Dynalite.start();
             var ddb = dyn.client()) {
            s3.createBucket(b -> b.bucket(BUCKET));
            ResultTableSchema.ensure(ddb, TABLE);
            // what the recognizer stores for a cluster of one sample (see UnknownClusters)
            byte[] crop = {(byte) 0xFF, (byte) 0xD8, 1, 2, 3, (byte) 0xFF, (byte) 0xD9};
            s3.putObject(b -> b.bucket(BUCKET).key("unknown/door/1795000000000-3-0.jpg"), RequestBody.fromBytes(crop));
            ddb.putItem(b -> b.tableName(TABLE).item(Map.ofEntries(
                    Map.entry(ResultKeys.PK, AttributeValue.fromS(ResultKeys.UNKNOWN_PK)),
                    Map.entry(ResultKeys.SK, AttributeValue.fromS(ResultKeys.clusterSk(7))),
                    Map.entry("number", AttributeValue.fromN("7")), Map.entry("tracks", AttributeValue.fromN("1")),
                    Map.entry("faces", AttributeValue.fromN("5")),
                    Map.entry("mean", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[8]))),
                    Map.entry("firstSeen", AttributeValue.fromS("2026-11-18T12:30:00.000Z")),
                    Map.entry("lastSeen", AttributeValue.fromS("2026-11-18T12:30:04.000Z")),
                    Map.entry("cameras", AttributeValue.fromSs(List.of("door"))),
                    Map.entry("samples", AttributeValue.fromL(List.of(AttributeValue.fromM(Map.of(
                            "track", AttributeValue.fromS("door/1795000000000-3-0"), "camera", AttributeValue.fromS("door"),
                            "at", AttributeValue.fromS("2026-11-18T12:30:00.000Z"),
                            "crop", AttributeValue.fromS("unknown/door/1795000000000-3-0.jpg")))))),
                    Map.entry("v", AttributeValue.fromN("1")))));
            UnknownPromoter promoter = new UnknownPromoter(LocalStack.recognizerJar(root), Map.of("AWS_REGION", "us-east-1",
                    "AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY,
                    "RESULTS_TABLE", TABLE, "GALLERY_BUCKET", BUCKET, "AWS_ENDPOINT_URL_S3", server.endpoint().toString(),
                    "AWS_ENDPOINT_URL_DYNAMODB", dyn.endpoint().toString()));
            try (LocalPage page = new LocalPage(0, s3, ddb, null, null, BUCKET, TABLE, List.of(), tmp.resolve("inbox"),
                    promoter)) {
                int port = page.port();
                JsonNode clusters = page.clusters();
                assertEquals(1, clusters.size());
                assertEquals(7, clusters.get(0).get("number").asInt());
                assertEquals("[\"unknown/door/1795000000000-3-0.jpg\"]", clusters.get(0).get("crops").toString());
                HttpResponse<byte[]> img = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + port + "/api/crop?key=unknown/door/1795000000000-3-0.jpg")).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, img.statusCode());
                assertEquals(crop.length, img.body().length);
                assertEquals(400, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/api/crop?key=frames/x.jpg")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());

                // another site's page cannot press the button
                assertEquals(403, post(port, "/api/promote?number=7&name=Ana", "http://evil.example"));
                assertTrue(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("enroll/")).contents().isEmpty());
                // a name the gallery refuses: the command's reason, nothing written
                assertEquals(400, post(port, "/api/promote?number=7&name=unknown", null));
                assertTrue(s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("enroll/")).contents().isEmpty());

                assertEquals(201, post(port, "/api/promote?number=7&name=Ana%20Lima", "http://127.0.0.1:" + port));
                assertEquals(List.of("enroll/Ana Lima/unknown-7-1.jpg"), s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("enroll/"))
                        .contents().stream().map(o -> o.key()).toList());
                assertEquals("Ana Lima", page.clusters().get(0).get("promotedTo").asText());
            }
        }
    }
}
