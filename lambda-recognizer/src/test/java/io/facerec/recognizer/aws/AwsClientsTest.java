package io.facerec.recognizer.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Every AWS client of the recognizer gives up on a server that never answers, within its timeouts. */
class AwsClientsTest {
    static final AwsClients.Timeouts TIMEOUTS = new AwsClients.Timeouts(Duration.ofMillis(1500), Duration.ofMillis(500));

    /** Accepts connections and never answers: the worst server there is. */
    static final class Silent implements AutoCloseable {
        final ServerSocket socket;
        final List<Socket> held = new ArrayList<>();
        final Thread acceptor;

        Silent() throws Exception {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(socket.accept());
                    }
                } catch (Exception e) {
                    // closed
                }
            }, "silent-server");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        Optional<URI> endpoint() {
            return Optional.of(URI.create("http://127.0.0.1:" + socket.getLocalPort()));
        }

        @Override
        public void close() throws Exception {
            socket.close();
            for (Socket s : held) {
                s.close();
            }
        }
    }

    static void timesOut(Runnable call) {
        SdkClientException e = assertThrows(SdkClientException.class, call::run);
        assertTrue(e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException,
                "gave up on its own timeouts: " + e);
    }

    @Test
    void everyClientGivesUpOnASilentServerWithinItsTimeouts() throws Exception {
        try (Silent silent = new Silent()) {
            try (var s3 = AwsClients.s3(silent.endpoint(), TIMEOUTS)) {
                timesOut(() -> s3.headBucket(b -> b.bucket("any")));
            }
            try (var ddb = AwsClients.dynamoDb(silent.endpoint(), TIMEOUTS)) {
                timesOut(() -> ddb.getItem(b -> b.tableName("any").key(java.util.Map.of())));
            }
            try (var sm = AwsClients.secrets(silent.endpoint(), TIMEOUTS)) {
                timesOut(() -> sm.getSecretValue(b -> b.secretId("any")));
            }
        }
    }

    @Test
    void theTimeoutsAreSetOnEveryClient() {
        for (SdkClient c : List.<SdkClient>of(AwsClients.s3(Optional.empty(), TIMEOUTS),
                AwsClients.dynamoDb(Optional.empty(), TIMEOUTS), AwsClients.secrets(Optional.empty(), TIMEOUTS))) {
            var o = c.serviceClientConfiguration().overrideConfiguration();
            assertEquals(Optional.of(Duration.ofMillis(1500)), o.apiCallTimeout(), c.serviceName());
            assertEquals(Optional.of(Duration.ofMillis(500)), o.apiCallAttemptTimeout(), c.serviceName());
            c.close();
        }
    }
}
