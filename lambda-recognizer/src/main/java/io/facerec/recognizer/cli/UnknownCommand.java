package io.facerec.recognizer.cli;

import io.facerec.model.config.ConfigException;
import io.facerec.model.config.SettingsReader;
import io.facerec.recognizer.aws.AwsClients;
import io.facerec.recognizer.unknown.UnknownClusters;
import java.io.PrintStream;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * {@code bin/unknown}: the clusters of unknown faces, and their promotion to enrolled people.
 * <pre>
 * unknown list                    one line per cluster
 * unknown promote NUMBER NAME     copies the cluster's face crops to enroll/NAME/, which enrols them
 * </pre>
 * Settings from the environment, as the recognizer reads them: {@code RESULTS_TABLE},
 * {@code GALLERY_BUCKET}, {@code UNKNOWN_TTL_DAYS}, {@code AWS_ENDPOINT_URL_S3},
 * {@code AWS_ENDPOINT_URL_DYNAMODB}, credentials and region from the SDK's usual chain.
 */
public final class UnknownCommand {
    static final String USAGE = "usage: unknown list | unknown promote NUMBER NAME";

    private UnknownCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || !(args[0].equals("list") && args.length == 1 || args[0].equals("promote") && args.length == 3)) {
            err.println(USAGE);
            return 2;
        }
        long number = 0;
        if (args[0].equals("promote")) {
            try {
                number = Long.parseLong(args[1].replaceFirst("^#", ""));
            } catch (NumberFormatException e) {
                err.println("unknown: the cluster is a number (as 'unknown list' shows it), got '" + args[1] + "'");
                return 2;
            }
        }
        String table;
        String bucket;
        int ttlDays;
        Optional<URI> s3Endpoint;
        Optional<URI> ddbEndpoint;
        try {
            SettingsReader r = SettingsReader.of(env);
            table = r.required("RESULTS_TABLE");
            bucket = r.required("GALLERY_BUCKET");
            ttlDays = r.integer("UNKNOWN_TTL_DAYS", 30, 1, 3650);
            s3Endpoint = r.url("AWS_ENDPOINT_URL_S3").or(() -> r.url("AWS_ENDPOINT_URL"));
            ddbEndpoint = r.url("AWS_ENDPOINT_URL_DYNAMODB").or(() -> r.url("AWS_ENDPOINT_URL"));
            r.finish();
        } catch (ConfigException e) {
            err.println("unknown: " + e.getMessage());
            return 2;
        }
        AwsClients.Timeouts t = new AwsClients.Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(10));
        try (S3Client s3 = AwsClients.s3(s3Endpoint, t); DynamoDbClient ddb = AwsClients.dynamoDb(ddbEndpoint, t)) {
            UnknownClusters clusters = new UnknownClusters(ddb, table, Duration.ofDays(ttlDays), Clock.systemUTC());
            if (args[0].equals("list")) {
                var all = clusters.list();
                for (UnknownClusters.Cluster c : all) {
                    long crops = c.samples().stream().filter(s -> s.crop() != null).count();
                    out.printf("#%d seen %d times (%d faces) since %s, last %s, cameras %s, %d crops%s%n", c.number(), c.tracks(),
                            c.faces(), c.firstSeen(), c.lastSeen(), String.join(",", new TreeSet<>(c.cameras())), crops,
                            c.promotedTo() == null ? "" : ", promoted to " + c.promotedTo());
                }
                if (all.isEmpty()) {
                    out.println("no clusters of unknown faces");
                }
                return 0;
            }
            UnknownClusters.Promotion p = clusters.promote(s3, bucket, number, args[2]);
            out.printf("unknown #%d enrolled as %s: %d photos under enroll/%s/%s%n", number, p.name(), p.enrolled().size(),
                    p.name(), p.missing().isEmpty() ? "" : " (" + p.missing().size() + " crops already removed)");
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("unknown: " + e.getMessage());
            return 2;
        } catch (SdkException e) {
            err.println("unknown: AWS call failed: " + e.getMessage());
            return 1;
        }
    }
}
