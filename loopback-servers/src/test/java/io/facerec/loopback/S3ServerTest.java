package io.facerec.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The conditional writes the gallery relies on, as the S3-compatible test server implements them. */
class S3ServerTest {
    @Test
    void conditionalPutsBehaveAsS3Documents() throws Exception {
        try (S3Server server = new S3Server(null); var s3 = server.client()) {
            s3.createBucket(b -> b.bucket("bkt"));
            String etag = s3.putObject(b -> b.bucket("bkt").key("p/x").ifNoneMatch("*"), RequestBody.fromString("1")).eTag();
            assertEquals(412, assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket("bkt").key("p/x")
                    .ifNoneMatch("*"), RequestBody.fromString("2"))).statusCode(), "exists: If-None-Match * refused");
            String etag2 = s3.putObject(b -> b.bucket("bkt").key("p/x").ifMatch(etag), RequestBody.fromString("3")).eTag();
            assertEquals(412, assertThrows(S3Exception.class, () -> s3.putObject(b -> b.bucket("bkt").key("p/x")
                    .ifMatch(etag), RequestBody.fromString("4"))).statusCode(), "stale ETag refused");
            s3.putObject(b -> b.bucket("bkt").key("q/y").ifNoneMatch("*"), RequestBody.fromString("5"));
            assertEquals("3", s3.getObjectAsBytes(b -> b.bucket("bkt").key("p/x")).asUtf8String());
            assertEquals(etag2, s3.headObject(b -> b.bucket("bkt").key("p/x")).eTag());
        }
    }
}
