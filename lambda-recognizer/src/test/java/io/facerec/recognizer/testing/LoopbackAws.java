package io.facerec.recognizer.testing;

import io.facerec.loopback.Dynalite;
import io.facerec.loopback.ResultTableSchema;
import io.facerec.loopback.S3Server;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * What the handler integration tests run the recognizer against: S3Proxy with one bucket and dynalite
 * with the results tables, on loopback, with a test-side client of each.
 */
public final class LoopbackAws implements AutoCloseable {
    private final S3Server s3Server;
    private final S3Client s3;
    private final Dynalite dynalite;
    private final DynamoDbClient ddb;

    private LoopbackAws(S3Server s3Server, Dynalite dynalite) {
        this.s3Server = s3Server;
        this.s3 = s3Server.client();
        this.dynalite = dynalite;
        this.ddb = dynalite.client();
    }

    public static LoopbackAws start(String bucket, String... tables) throws Exception {
        LoopbackAws aws = new LoopbackAws(new S3Server(null), Dynalite.start());
        aws.s3.createBucket(b -> b.bucket(bucket));
        for (String t : tables) {
            ResultTableSchema.ensure(aws.ddb, t);
        }
        return aws;
    }

    public S3Server s3Server() {
        return s3Server;
    }

    public S3Client s3() {
        return s3;
    }

    public Dynalite dynalite() {
        return dynalite;
    }

    public DynamoDbClient ddb() {
        return ddb;
    }

    /** Points the product's clients at these servers, as the settings do. */
    public Map<String, String> endpoints(Map<String, String> env) {
        env.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
        env.put("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString());
        return env;
    }

    /** Closes each of {@code closeables} that was started, in order. */
    public static void closeAll(AutoCloseable... closeables) throws Exception {
        for (AutoCloseable c : closeables) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Override
    public void close() throws Exception {
        closeAll(dynalite, s3Server);
    }
}
