package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facerec.loopback.S3Server;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The page's enrolment API: only the page itself may call it, and inbox photos reach S3 even after a failure. */
class LocalPageTest {
    static final String BUCKET = "page-test";

    /** A raw request, so the Host header is exactly what a rebinding attack would send. */
    static int post(int port, String host, String origin) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            String head = "POST /api/enroll?name=ana&file=a.jpg HTTP/1.1\r\nHost: " + host + "\r\n"
                    + (origin == null ? "" : "Origin: " + origin + "\r\n")
                    + "Content-Type: image/jpeg\r\nContent-Length: 3\r\nConnection: close\r\n\r\nabc";
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    static List<String> keys(S3Client s3) {
        return s3.listObjectsV2(b -> b.bucket(BUCKET).prefix("enroll/")).contents().stream().map(S3Object::key).toList();
    }

    @Test
    void enrolmentIsAcceptedOnlyFromThePageItself(@TempDir Path tmp) throws Exception {
        try (S3Server server = new S3Server(null); S3Client s3 = server.client();
             LocalPage page = new LocalPage(0, s3, null, null, null, BUCKET, "t", List.of(), tmp.resolve("inbox"))) {
            s3.createBucket(b -> b.bucket(BUCKET));
            int port = page.port();
            String self = "127.0.0.1:" + port;
            // another site's page, posting from the user's browser
            assertEquals(403, post(port, self, "http://evil.example"));
            assertEquals(403, post(port, self, "null"));
            // DNS rebinding: the browser thinks it talks to evil.example
            assertEquals(403, post(port, "evil.example:" + port, null));
            assertEquals(403, post(port, "evil.example:" + port, "http://evil.example:" + port));
            assertEquals(List.of(), keys(s3), "nothing was enrolled");

            assertEquals(201, post(port, self, "http://" + self), "the page itself");
            assertEquals(201, post(port, "localhost:" + port, "http://localhost:" + port));
            assertEquals(201, post(port, self, null), "curl on this machine sends no Origin");
            assertEquals(List.of("enroll/ana/a.jpg"), keys(s3));
        }
    }

    @Test
    void anInboxPhotoWhoseUploadFailedIsUploadedOnTheNextScan(@TempDir Path tmp) throws Exception {
        Path inbox = Files.createDirectories(tmp.resolve("inbox/ana"));
        Files.write(inbox.resolve("a.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xD9});
        AtomicInteger puts = new AtomicInteger();
        try (S3Server server = new S3Server(null);
             S3Client s3 = S3Client.builder().endpointOverride(server.endpoint()).forcePathStyle(true)
                     .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                     .credentialsProvider(StaticCredentialsProvider.create(
                             AwsBasicCredentials.create(S3Server.ACCESS_KEY, S3Server.SECRET_KEY)))
                     .overrideConfiguration(o -> o.addExecutionInterceptor(new ExecutionInterceptor() {
                         @Override
                         public void afterExecution(Context.AfterExecution c, ExecutionAttributes a) {
                             if (c.request() instanceof PutObjectRequest) {
                                 puts.incrementAndGet();
                             }
                         }
                     })).build();
             LocalPage page = new LocalPage(0, s3, null, null, null, BUCKET, "t", List.of(), tmp.resolve("inbox"))) {
            page.scanInbox(); // S3 refuses: the bucket is not there yet
            s3.createBucket(b -> b.bucket(BUCKET));
            page.scanInbox();
            assertEquals(List.of("enroll/ana/a.jpg"), keys(s3), "retried");
            page.scanInbox();
            assertEquals(1, puts.get(), "uploaded once, not again on every scan");
        }
    }
}
