package io.facerec.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** NEXTJS_WEBHOOK_URL sends the local stack's deliveries to the user's own app, with its secret. */
class LocalStackUserAppTest {
    @Test
    void theUsersAppIsTakenFromTheEnvironmentWithItsSecret() {
        assertNull(LocalStack.UserApp.from(Map.of()), "unset: the local receiver");
        LocalStack.UserApp app = LocalStack.UserApp.from(Map.of("NEXTJS_WEBHOOK_URL",
                " http://localhost:3000/api/facial-recognition/webhook", "FACIAL_RECOGNITION_WEBHOOK_SECRET", "s3cret",
                "APP_CAMERA_IDS", "esp32-sim=clx1"));
        assertEquals("http://localhost:3000/api/facial-recognition/webhook", app.webhookUrl());
        assertEquals("s3cret", app.secret());
        assertEquals("esp32-sim=clx1", app.appCameraIds());
    }

    @Test
    void aUrlWithoutTheSecretOrNotHttpStopsTheStartWithTheReason() {
        var e = assertThrows(IllegalStateException.class, () -> LocalStack.UserApp.from(Map.of("NEXTJS_WEBHOOK_URL",
                "http://localhost:3000/api/facial-recognition/webhook")));
        assertEquals("NEXTJS_WEBHOOK_URL is set: set FACIAL_RECOGNITION_WEBHOOK_SECRET to the value your app checks too",
                e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> LocalStack.UserApp.from(Map.of("NEXTJS_WEBHOOK_URL",
                "localhost:3000", "FACIAL_RECOGNITION_WEBHOOK_SECRET", "s3cret")));
        assertEquals("NEXTJS_WEBHOOK_URL must be an http(s) URL, e.g. http://localhost:3000/api/facial-recognition/webhook",
                e.getMessage());
    }
}
