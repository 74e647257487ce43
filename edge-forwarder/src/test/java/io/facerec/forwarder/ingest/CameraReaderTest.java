package io.facerec.forwarder.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CameraReaderTest {
    @Test
    void reasonsAreShortAndNeverCarryTheUrl() {
        assertEquals("connection refused", CameraReader.reason(new Exception(
                "avformat_open_input() error -111: Could not open input \"http://user:pw@10.0.0.5:81/stream\"")));
        assertEquals("avformat_open_input() error -5: Could not open input", CameraReader.reason(new Exception(
                "avformat_open_input() error -5: Could not open input \"http://user:pw@10.0.0.5:81/stream\"")));
        assertEquals("stream ended", CameraReader.reason(new IllegalStateException("stream ended")));
    }
}
