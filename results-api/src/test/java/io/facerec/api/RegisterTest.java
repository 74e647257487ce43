package io.facerec.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.facerec.api.auth.ApiKeyAuthenticator;
import io.facerec.api.config.ApiConfig;
import io.facerec.api.handler.ResultsApi;
import io.facerec.api.handler.ResultsApiHandler;
import io.facerec.loopback.Dynalite;
import io.facerec.loopback.ResultTableSchema;
import io.facerec.loopback.S3Server;
import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import io.facerec.model.gallery.DescriptorFile;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * POST /register: what lands under enroll/&lt;name&gt;/ (the write that triggers the recognizer's
 * enrolment), in which format, and what is refused before anything is written. image_url is served
 * by a real HTTP server on loopback; the strict (AWS) settings refuse it for being loopback.
 */
class RegisterTest {
    static final String BUCKET = "facerec-register";
    static final String KEY = "register-test-key-0123456789";
    static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + KEY);
    static final OpenApiContract CONTRACT = OpenApiContract.load();
    static S3Server s3Server;
    static Dynalite dynalite;
    static S3Client s3;
    static DynamoDbClient ddb;
    static HttpServer images;
    static byte[] jpeg;
    static ApiTransport local; // the local stack's settings: http and loopback hosts allowed
    static ApiTransport strict; // AWS's: https and public hosts only

    @BeforeAll
    static void start() throws Exception {
        s3Server = new S3Server(null);
        s3 = s3Server.client();
        s3.createBucket(b -> b.bucket(BUCKET));
        dynalite = Dynalite.start();
        ddb = dynalite.client();
        ResultTableSchema.ensure(ddb, "reg-results");
        jpeg = jpeg();
        images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        images.createContext("/face.jpg", ex -> {
            ex.getResponseHeaders().add("Content-Type", "image/jpeg");
            ex.sendResponseHeaders(200, jpeg.length);
            ex.getResponseBody().write(jpeg);
            ex.close();
        });
        images.createContext("/big.jpg", ex -> {
            byte[] big = new byte[4096];
            System.arraycopy(jpeg, 0, big, 0, Math.min(jpeg.length, big.length));
            ex.sendResponseHeaders(200, 0); // chunked: no length to refuse up front
            ex.getResponseBody().write(big);
            ex.close();
        });
        images.createContext("/slow.jpg", ex -> {
            try {
                Thread.sleep(3000);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ex.sendResponseHeaders(200, jpeg.length);
            ex.getResponseBody().write(jpeg);
            ex.close();
        });
        images.createContext("/loop", ex -> {
            ex.getResponseHeaders().add("Location", "/loop");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        images.createContext("/text", ex -> {
            byte[] t = "not a picture".getBytes();
            ex.sendResponseHeaders(200, t.length);
            ex.getResponseBody().write(t);
            ex.close();
        });
        images.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        images.start();
        local = transport(Map.of("REGISTER_ALLOW_HTTP", "true", "REGISTER_ALLOW_PRIVATE_HOSTS", "true",
                "REGISTER_MAX_IMAGE_BYTES", "2048", "REGISTER_FETCH_TIMEOUT_MS", "800"));
        strict = transport(Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        if (images != null) {
            images.stop(0);
        }
        for (AutoCloseable c : new AutoCloseable[] {dynalite, s3Server}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @BeforeEach
    void emptyEnrolFolders() {
        for (S3Object o : s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("enroll/")).contents()) {
            s3.deleteObject(b -> b.bucket(BUCKET).key(o.key()));
        }
    }

    static ApiTransport transport(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("RESULTS_TABLE", "reg-results");
        env.put("GALLERY_BUCKET", BUCKET);
        env.putAll(overrides);
        var calls = SdkCallRecorder.forTest(ProductRole.RESULTS_API, RegisterTest.class, env);
        return new HandlerTransport(new ResultsApiHandler(ResultsApi.create(ApiConfig.from(env), dynalite.client(calls),
                s3Server.client(calls),
                new ApiKeyAuthenticator(() -> KEY, Duration.ZERO, Clock.systemUTC()), Clock.systemUTC())));
    }

    static byte[] jpeg() throws Exception {
        BufferedImage img = new BufferedImage(24, 24, BufferedImage.TYPE_INT_RGB);
        img.setRGB(3, 3, 0xff8800);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "jpg", out);
        return out.toByteArray();
    }

    static List<String> enrolKeys() {
        return s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("enroll/")).contents().stream().map(S3Object::key).sorted().toList();
    }

    static ApiTransport.Answer post(ApiTransport t, String body) throws Exception {
        ApiTransport.Answer a = t.send("POST", "/api/register", body, AUTH);
        CONTRACT.check("POST", "/api/register", a.status(), a.body());
        return a;
    }

    static String url(String path) {
        return "http://127.0.0.1:" + images.getAddress().getPort() + path;
    }

    @Test
    void a128NumberEncodingIsWrittenAsADescriptorFileUnderThePersonsFolder() throws Exception {
        String body = "{\"name\":\"María José Pérez\",\"encoding\":" + FrontendClientCalls.encoding(128)
                + ",\"client_id\":\"clx9kiosk\"}";
        JsonNode ok = post(local, body).body();
        assertEquals(1, ok.get("files").size());
        String key = ok.get("files").get(0).asText();
        assertTrue(key.matches("enroll/María José Pérez/[0-9a-f]{16}\\.descriptor\\.json"), key);
        assertEquals(List.of(key), enrolKeys());
        var obj = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        DescriptorFile d = DescriptorFile.fromJson(obj.asByteArray());
        assertEquals(DescriptorFile.FORMAT, d.format());
        assertEquals(DescriptorFile.DLIB_MODEL, d.model());
        assertEquals(128, d.dimension());
        assertEquals("clx9kiosk", d.clientId());
        JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(FrontendClientCalls.encoding(128));
        for (int i = 0; i < 128; i++) {
            assertEquals(sent.get(i).asDouble(), d.descriptor().get(i), 0.0, "number " + i);
        }
        assertEquals("application/json", obj.response().contentType());
        assertEquals("clx9kiosk", obj.response().metadata().get("client-id"));
        // the same descriptor again is the same file
        post(local, body);
        assertEquals(List.of(key), enrolKeys());
    }

    @Test
    void wrongLengthsAndBadFieldsAre400WithTheReasonAndWriteNothing() throws Exception {
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("{\"name\":\"A\",\"encoding\":" + FrontendClientCalls.encoding(5) + "}", "encoding must have 128 numbers, got 5");
        cases.put("{\"name\":\"A\",\"encoding\":" + FrontendClientCalls.encoding(129) + "}", "encoding must have 128 numbers, got 129");
        cases.put("{\"name\":\"A\",\"encoding\":[]}", "encoding must have 128 numbers, got 0");
        cases.put("{\"name\":\"A\",\"encoding\":\"0.1,0.2\"}", "encoding must be an array of 128 numbers");
        cases.put("{\"name\":\"A\",\"encoding\":" + FrontendClientCalls.encoding(127).replace("]", ",\"x\"]") + "}",
                "encoding must contain only finite numbers");
        cases.put("{\"encoding\":" + FrontendClientCalls.encoding(128) + "}", "name is required");
        cases.put("{\"name\":\"  \",\"encoding\":" + FrontendClientCalls.encoding(128) + "}", "name must not be empty");
        cases.put("{\"name\":\"../gallery\",\"encoding\":" + FrontendClientCalls.encoding(128) + "}", "name must not contain");
        cases.put("{\"name\":\"A\"}", "encoding (128 numbers), image_url or image is required");
        cases.put("{\"name\":\"A\",\"image\":\"" + Base64.getEncoder().encodeToString("hello".getBytes()) + "\"}",
                "image must be a JPEG or PNG");
        cases.put("{\"name\":\"A\",\"image\":\"***\"}", "image is not valid base64");
        cases.put("{\"name\":\"A\",\"encoding\":" + FrontendClientCalls.encoding(128) + ",\"image_url\":\"" + url("/text") + "\"}",
                "image must be a JPEG or PNG");
        for (var c : cases.entrySet()) {
            ApiTransport.Answer a = post(local, c.getKey());
            assertEquals(400, a.status(), c.getKey() + " -> " + a.body());
            assertTrue(a.body().get("error").asText().startsWith(c.getValue()), c.getKey() + " -> " + a.body());
        }
        assertEquals(List.of(), enrolKeys(), "a refused registration leaves nothing behind");
    }

    @Test
    void aPhotoUploadOrFetchedIsStoredAsTheJpegItIs() throws Exception {
        JsonNode up = post(local, "{\"name\":\"Ana\",\"image\":\"data:image/jpeg;base64,"
                + Base64.getEncoder().encodeToString(jpeg) + "\"}").body();
        String key = up.get("files").get(0).asText();
        assertTrue(key.matches("enroll/Ana/[0-9a-f]{16}\\.jpg"), key);
        var obj = s3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key));
        assertArrayEquals(jpeg, obj.asByteArray());
        assertEquals("image/jpeg", obj.response().contentType());

        JsonNode fetched = post(local, "{\"name\":\"Ana\",\"image_url\":\"" + url("/face.jpg") + "\",\"encoding\":"
                + FrontendClientCalls.encoding(128) + "}").body();
        assertEquals(2, fetched.get("files").size(), "the descriptor and the photo");
        assertTrue(enrolKeys().contains(key), "the same photo fetched is the same object");
        assertEquals(2, enrolKeys().size());
    }

    @Test
    void imageUrlIsHeldIn() throws Exception {
        Map<ApiTransport, Map<String, String>> cases = new java.util.LinkedHashMap<>();
        Map<String, String> strictCases = new java.util.LinkedHashMap<>();
        strictCases.put(url("/face.jpg"), "image_url must be https");
        strictCases.put("https://127.0.0.1:" + images.getAddress().getPort() + "/face.jpg", "image_url's host resolves to a private");
        strictCases.put("https://localhost/face.jpg", "image_url's host resolves to a private");
        strictCases.put("https://[::1]/face.jpg", "image_url's host resolves to a private");
        strictCases.put("https://169.254.169.254/latest/meta-data", "image_url's host resolves to a private");
        strictCases.put("https://user:pw@example.com/face.jpg", "image_url must have a host and no credentials");
        strictCases.put("file:///etc/passwd", "image_url must be https");
        cases.put(strict, strictCases);
        Map<String, String> localCases = new java.util.LinkedHashMap<>();
        localCases.put(url("/big.jpg"), "image is larger than 2048 bytes");
        localCases.put(url("/slow.jpg"), "image_url did not answer within 800 ms");
        localCases.put(url("/loop"), "image_url redirected more than 2 times");
        localCases.put(url("/missing.jpg"), "image_url answered HTTP 404");
        localCases.put("gopher://127.0.0.1/x", "image_url must be http or https");
        cases.put(local, localCases);
        for (var t : cases.entrySet()) {
            for (var c : t.getValue().entrySet()) {
                ApiTransport.Answer a = post(t.getKey(), "{\"name\":\"Eve\",\"image_url\":\"" + c.getKey() + "\"}");
                assertEquals(400, a.status(), c.getKey() + " -> " + a.body());
                assertTrue(a.body().get("error").asText().startsWith(c.getValue()), c.getKey() + " -> " + a.body());
                assertFalse(a.body().toString().contains("pw@"), "the URL is not echoed");
            }
        }
        assertEquals(List.of(), enrolKeys());
    }

    @Test
    void onlyPublicAddressesPassTheHostCheck() throws Exception {
        for (String a : List.of("10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "127.0.0.1", "0.0.0.0",
                "100.64.0.1", "224.0.0.1", "::1", "fc00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1")) {
            assertFalse(io.facerec.api.register.ImageFetcherAccess.isPublic(InetAddress.getByName(a)), a);
        }
        for (String a : List.of("8.8.8.8", "1.1.1.1", "2001:4860:4860::8888", "::ffff:8.8.8.8")) {
            assertTrue(io.facerec.api.register.ImageFetcherAccess.isPublic(InetAddress.getByName(a)), a);
        }
    }
}
