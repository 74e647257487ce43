package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The Runtime API speaks the protocol the runtime interface client expects, and retries as Lambda does. */
class LambdaRuntimeApiTest {
    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> next(int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/2018-06-01/runtime/invocation/next"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    void post(int port, String id, String what) throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/2018-06-01/runtime/invocation/"
                + id + "/" + what)).POST(HttpRequest.BodyPublishers.ofString("{\"errorMessage\":\"boom\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, r.statusCode());
    }

    @Test
    void deliversEventsWithTheHeadersTheClientNeeds() throws Exception {
        try (LambdaRuntimeApi api = new LambdaRuntimeApi(0, 30_000)) {
            api.invoke("{\"Records\":[]}");
            var r = next(api.port());
            assertEquals("{\"Records\":[]}", r.body());
            String id = r.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            long deadline = Long.parseLong(r.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
            assertTrue(deadline > System.currentTimeMillis());
            assertTrue(r.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn").orElseThrow().startsWith("arn:aws:lambda:"));
            post(api.port(), id, "response");
            assertEquals(1, api.stats().succeeded());
            assertEquals(0, api.pending());
        }
    }

    @Test
    void anInvocationPastItsDeadlineIsGivenUpAndRetriedAndItsLateAnswerIgnored() throws Exception {
        try (LambdaRuntimeApi api = new LambdaRuntimeApi(0, 500)) {
            api.invoke("{\"n\":2}");
            var first = next(api.port());
            String id = first.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
            // the function hangs: no response, no error
            long end = System.currentTimeMillis() + 20_000;
            while (api.stats().errors() == 0 && System.currentTimeMillis() < end) {
                Thread.sleep(50);
            }
            assertEquals(1, api.stats().errors(), "timed out, counted as Lambda counts a timeout: an error");
            assertEquals(1, api.stats().retries());
            var again = next(api.port());
            assertEquals("{\"n\":2}", again.body(), "the event is tried again");
            post(api.port(), id, "response"); // the hung first attempt answers at last
            assertEquals(0, api.stats().succeeded(), "a late answer does not count");
            post(api.port(), again.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow(), "response");
            assertEquals(1, api.stats().succeeded());
            assertEquals(0, api.pending());
        }
    }

    @Test
    void anErroredInvocationIsRetriedTwiceThenKeptAsFailed() throws Exception {
        try (LambdaRuntimeApi api = new LambdaRuntimeApi(0, 30_000)) {
            api.invoke("{\"n\":1}");
            long t0 = System.currentTimeMillis();
            for (int attempt = 1; attempt <= 3; attempt++) {
                var r = next(api.port());
                assertEquals("{\"n\":1}", r.body(), "attempt " + attempt + " gets the same event");
                post(api.port(), r.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow(), "error");
            }
            assertTrue(System.currentTimeMillis() - t0 >= 3000, "waited 1 s, then 2 s, between attempts");
            var s = api.stats();
            assertEquals(3, s.errors());
            assertEquals(2, s.retries());
            assertEquals(1, s.failed().size(), "sent to the failure list after the last retry");
            assertEquals(0, api.pending());
        }
    }
}
