package io.facerec.loopback.sdkcalls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.loopback.S3Server;
import io.facerec.loopback.SecretsManagerServer;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** The recorder on a product client, in this JVM and in a process of its own, against real servers. */
class SdkCallRecorderTest {
    static final Map<String, String> ENV = Map.of("GALLERY_BUCKET", "recorded-bucket", "RESULTS_TABLE", "t",
            "FACIAL_RECOGNITION_WEBHOOK_SECRET", "do-not-record-me", "AWS_SECRET_ACCESS_KEY", "nor-me");

    static Path file(String role, Class<?> test) {
        return SdkCallRecorder.directory().resolve(role + "-" + test.getSimpleName() + ".jsonl");
    }

    @Test
    void recordsTheProductsCallsWithTheirOutcomeAndNothingOfTheFixtures() throws Exception {
        SdkCallRecorder recorder = SdkCallRecorder.forTest(ProductRole.RECOGNIZER, SdkCallRecorderTest.class, ENV);
        try (S3Server server = new S3Server(null); var fixture = server.client(); var product = server.client(recorder)) {
            fixture.createBucket(b -> b.bucket("recorded-bucket"));
            fixture.putObject(b -> b.bucket("recorded-bucket").key("fixture-only"), RequestBody.fromString("x"));
            product.putObject(b -> b.bucket("recorded-bucket").key("gallery/labels.json").ifNoneMatch("*")
                    .metadata(Map.of("camera-id", "door")), RequestBody.fromString("[]"));
            assertThrows(NoSuchKeyException.class, () -> product.headObject(b -> b.bucket("recorded-bucket").key("gallery/none")));
            product.listObjectsV2(b -> b.bucket("recorded-bucket").prefix("enroll/ana/"));
            product.listObjectsV2(b -> b.bucket("recorded-bucket").prefix("enroll/ana/")); // the same call again
        }
        List<RecordedCall> calls = RecordedCall.read(file("recognizer", SdkCallRecorderTest.class));
        assertEquals(List.of("PutObject", "HeadObject", "ListObjectsV2"), calls.stream().map(RecordedCall::operation).toList(),
                "the product's calls, each distinct call once, none of the fixture's");
        RecordedCall put = calls.get(0);
        assertEquals("S3", put.service());
        assertEquals("recorded-bucket", put.member("Bucket"));
        assertEquals("gallery/labels.json", put.member("Key"));
        assertEquals("*", put.member("IfNoneMatch"));
        assertEquals("[\"camera-id\"]", put.request().get("Metadata").toString(), "a map is recorded as its keys");
        assertEquals(200, put.status());
        assertEquals(Map.of("GALLERY_BUCKET", "recorded-bucket", "RESULTS_TABLE", "t"), put.settings(),
                "only the settings that name resources");
        RecordedCall head = calls.get(1);
        assertEquals(404, head.status());
        assertEquals("NoSuchKeyException", head.exception());
        assertEquals("enroll/ana/", calls.get(2).member("Prefix"));
        String text = Files.readString(file("recognizer", SdkCallRecorderTest.class));
        assertFalse(text.contains("do-not-record-me") || text.contains("nor-me"), text);
    }

    @Test
    void aSecretIsRecordedByItsIdNeverItsValue() throws Exception {
        SdkCallRecorder recorder = SdkCallRecorder.forTest(ProductRole.FORWARDER, SecretsManagerServer.class, Map.of());
        try (SecretsManagerServer sm = SecretsManagerServer.start(); var client = sm.client(recorder)) {
            String arn = sm.create("facerec-webhook", "s3cr3t-value");
            assertEquals("s3cr3t-value", client.getSecretValue(b -> b.secretId(arn)).secretString());
            assertEquals(arn, client.getSecretValue(b -> b.secretId("facerec-webhook")).arn(), "found by name too");
            assertThrows(ResourceNotFoundException.class, () -> client.getSecretValue(b -> b.secretId("other")));
        }
        List<RecordedCall> calls = RecordedCall.read(file("forwarder", SecretsManagerServer.class));
        assertEquals(3, calls.size());
        assertTrue(calls.get(0).member("SecretId").matches("arn:aws:secretsmanager:us-east-1:0{12}:secret:facerec-webhook-\\w{6}"));
        assertEquals("ResourceNotFoundException", calls.get(2).errorCode());
        assertFalse(Files.readString(file("forwarder", SecretsManagerServer.class)).contains("s3cr3t-value"));
    }

    /** A product in its own JVM: nothing of the recorder on its classpath but the entry the test adds. */
    @Test
    void aProductProcessRecordsThroughTheGlobalInterceptorFile(@TempDir Path tmp) throws Exception {
        SdkCallRecorder.ProcessRecording rec = SdkCallRecorder.forProcess(ProductRole.RECOGNIZER, ProductProcess.class, tmp);
        try (S3Server server = new S3Server(null); var fixture = server.client()) {
            fixture.createBucket(b -> b.bucket("process-bucket"));
            String cp = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
                    .filter(e -> !e.replace('\\', '/').contains("loopback-servers/target/classes")
                            && !e.replace('\\', '/').matches(".*loopback-servers[^/]*\\.jar"))
                    .collect(Collectors.joining(File.pathSeparator));
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", cp + File.pathSeparator + rec.classpathEntry(), ProductProcess.class.getName(),
                    server.endpoint().toString()));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(rec.environment());
            pb.environment().put("GALLERY_BUCKET", "process-bucket");
            pb.environment().put("FACIAL_RECOGNITION_WEBHOOK_SECRET", "do-not-record-me");
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
        }
        Path file = file("recognizer", ProductProcess.class);
        List<RecordedCall> calls = RecordedCall.read(file);
        assertEquals(List.of("PutObject", "GetObject"), calls.stream().map(RecordedCall::operation).toList());
        assertEquals(Map.of("GALLERY_BUCKET", "process-bucket"), calls.get(0).settings());
        assertEquals("ProductProcess", calls.get(0).source());
        assertFalse(Files.readString(file).contains("do-not-record-me"));
    }

    /** IAM checks a DynamoDB call's partition key as dynamodb:LeadingKeys: an item's, or the one a query names. */
    @Test
    void theLeadingKeyOfItemCallsAndQueries() {
        var v = software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("UNKNOWN");
        assertEquals("UNKNOWN", SdkCallRecorder.leadingKey(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                .keyConditionExpression("pk = :p AND begins_with(sk, :c)").expressionAttributeValues(Map.of(":p", v,
                        ":c", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("C#"))).build()));
        assertEquals("UNKNOWN", SdkCallRecorder.leadingKey(software.amazon.awssdk.services.dynamodb.model.QueryRequest.builder()
                .keyConditionExpression("#pk = :pk").expressionAttributeValues(Map.of(":pk", v)).build()));
        assertEquals("TRACKS#door", SdkCallRecorder.leadingKey(software.amazon.awssdk.services.dynamodb.model.GetItemRequest.builder()
                .key(Map.of("pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("TRACKS#door"))).build()));
    }
}
