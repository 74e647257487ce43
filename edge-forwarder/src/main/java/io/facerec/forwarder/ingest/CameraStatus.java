package io.facerec.forwarder.ingest;

/** What /health reports of one camera; updated by its reader. */
public final class CameraStatus {
    private final String cameraId;
    private volatile boolean connected;
    private volatile long lastFrameMillis;
    private volatile long downSinceMillis;
    private volatile String lastError = "";
    private final long createdMillis;

    public CameraStatus(String cameraId, long nowMillis) {
        this.cameraId = cameraId;
        this.downSinceMillis = nowMillis;
        this.createdMillis = nowMillis;
    }

    /** Milliseconds since the last frame arrived, or since the reader was created when none has. */
    public long frameAgeMillis(long nowMillis) {
        long last = lastFrameMillis;
        return nowMillis - (last == 0 ? createdMillis : last);
    }

    public String cameraId() {
        return cameraId;
    }

    public boolean connected() {
        return connected;
    }

    public long lastFrameMillis() {
        return lastFrameMillis;
    }

    public long downSinceMillis() {
        return downSinceMillis;
    }

    public String lastError() {
        return lastError;
    }

    void up() {
        connected = true;
        lastError = "";
    }

    void down(String error, long nowMillis) {
        if (connected || downSinceMillis == 0) {
            downSinceMillis = nowMillis;
        }
        connected = false;
        lastError = error;
    }

    void frame(long nowMillis) {
        lastFrameMillis = nowMillis;
    }
}
