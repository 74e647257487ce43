package io.facerec.forwarder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.config.ForwarderConfig;
import io.facerec.forwarder.simulator.SimulatedCamera;
import io.facerec.loopback.S3Server;
import io.facerec.model.control.ControlState;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A stream URL set through the results API reaches the forwarder: the control record's S3 copy
 * names another camera stream, and the frames uploaded from then on are that camera's.
 */
class ControlPollerIntegrationTest {
    static final String BUCKET = "camera-frames";

    @Test
    void aNewStreamUrlInTheControlRecordSwitchesTheCamera(@TempDir Path tmp) throws Exception {
        List<byte[]> video = TestFrames.video();
        List<byte[]> first = video.subList(0, 10);
        List<byte[]> second = video.subList(30, 40);
        firstFrames = first;
        secondFrames = second;
        try (S3Server server = new S3Server(null); S3Client s3 = server.client();
             SimulatedCamera a = new SimulatedCamera(first, 10, 0, "/stream");
             SimulatedCamera b = new SimulatedCamera(second, 10, 0, "/stream")) {
            s3.createBucket(r -> r.bucket(BUCKET));
            Map<String, String> env = new HashMap<>();
            env.put("STREAM_URL", a.streamUrl());
            env.put("CAMERA_ID", "door");
            env.put("S3_BUCKET", BUCKET);
            env.put("AWS_ENDPOINT_URL_S3", server.endpoint().toString());
            env.put("SPOOL_DIR", tmp.resolve("spool").toString());
            env.put("SAMPLE_FPS", "10");
            env.put("MOTION_THRESHOLD", "0");
            env.put("HEALTH_PORT", "0");
            env.put("CONTROL_POLL_S", "1");
            try (EdgeForwarder f = new EdgeForwarder(ForwarderConfig.from(env), s3, Clock.systemUTC())) {
                EdgeForwarderIntegrationTest.await("frames of the first camera", 30_000, () -> countFrom(s3, first) >= 3);
                assertEquals(0, countFrom(s3, second));
                ControlState moved = ControlState.DEFAULT.withActive(false, "2026-11-29T00:00:00.000Z")
                        .withConfig(null, b.streamUrl(), "door", "2026-11-29T00:00:01.000Z");
                s3.putObject(r -> r.bucket(BUCKET).key(ControlState.S3_KEY), RequestBody.fromBytes(moved.toJson()));
                EdgeForwarderIntegrationTest.await("frames of the second camera", 30_000, () -> countFrom(s3, second) >= 3);
                int fromFirst = countFrom(s3, first);
                Thread.sleep(1500);
                assertEquals(fromFirst, countFrom(s3, first), "the first camera is no longer read");
                assertTrue(b.connections() >= 1);
            }
        }
    }

    /** Which camera each uploaded key came from (0 first, 1 second, -1 neither), read once per key. */
    static final Map<String, Integer> ORIGIN = new java.util.concurrent.ConcurrentHashMap<>();
    static List<byte[]> firstFrames;
    static List<byte[]> secondFrames;

    static int countFrom(S3Client s3, List<byte[]> frames) {
        int which = frames == firstFrames ? 0 : 1;
        int n = 0;
        for (S3Object o : EdgeForwarderIntegrationTest.frames(s3)) {
            Integer origin = ORIGIN.get(o.key());
            if (origin == null) {
                byte[] body;
                try {
                    body = s3.getObjectAsBytes(r -> r.bucket(BUCKET).key(o.key())).asByteArray();
                } catch (software.amazon.awssdk.services.s3.model.NoSuchKeyException e) {
                    continue; // listed while its put was still being written: looked at next time
                }
                origin = firstFrames.stream().anyMatch(f -> Arrays.equals(f, body)) ? 0
                        : secondFrames.stream().anyMatch(f -> Arrays.equals(f, body)) ? 1 : -1;
                ORIGIN.put(o.key(), origin);
            }
            if (origin == which) {
                n++;
            }
        }
        return n;
    }
}
