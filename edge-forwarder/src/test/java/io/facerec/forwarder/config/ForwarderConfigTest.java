package io.facerec.forwarder.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.forwarder.EdgeForwarder;
import io.facerec.model.config.ConfigException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class ForwarderConfigTest {
    static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("STREAM_URL", "http://192.168.1.50:81/stream");
        env.put("S3_BUCKET", "frames-bucket");
        return env;
    }

    @Test
    void aBadStreamUrlIsNamedWithoutQuotingItsPassword(@TempDir Path tmp) throws Exception {
        Map<String, String> env = base();
        env.put("STREAM_URL", "htp://admin:s3cret@192.168.1.50:81/stream");
        var e = assertThrows(ConfigException.class, () -> ForwarderConfig.from(env));
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertTrue(e.getMessage().contains("STREAM_URL is not a stream URL"), e.getMessage());

        Path cams = Files.writeString(tmp.resolve("cameras.txt"), "door http://admin:pa ss@10.0.0.7/stream\n");
        Map<String, String> several = base();
        several.remove("STREAM_URL");
        several.put("CAMERAS_FILE", cams.toString());
        var e2 = assertThrows(ConfigException.class, () -> ForwarderConfig.from(several));
        assertFalse(e2.getMessage().contains("pa ss"), e2.getMessage());
        assertTrue(e2.getMessage().contains("CAMERAS_FILE line 1 is not a stream URL"), e2.getMessage());
    }

    @Test
    void credentialsAndSecretParametersNeverLeaveTheStreamUrl() throws Exception {
        StreamUrl u = new StreamUrl(URI.create("http://admin:s3cret@10.0.0.5:81/stream?token=abc&res=vga&Password=x#frag"));
        assertEquals("http://10.0.0.5:81/stream?res=vga", u.withoutCredentials());
        assertEquals(u.withoutCredentials(), u.toString());
        assertEquals("rtsp://cam.local/live", new StreamUrl(URI.create("rtsp://u:p@cam.local/live")).withoutCredentials());
        assertEquals("file:/var/video.mjpeg", new StreamUrl(URI.create("file:/var/video.mjpeg")).withoutCredentials());
        Map<String, String> env = base();
        env.put("STREAM_URL", "http://admin:s3cret@10.0.0.5:81/stream?token=abc");
        env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI");
        env.put("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEXAMPLE");
        String shown = ForwarderConfig.from(env).toString();
        for (String secret : List.of("s3cret", "abc", "wJalrXUtnFEMI", "FwoGZXIvYXdzEXAMPLE")) {
            assertFalse(shown.contains(secret), shown);
        }
    }

    @Test
    void awsSettingsInDotEnvAreUsedByTheS3Client(@TempDir Path tmp) throws Exception {
        Path dotEnv = Files.writeString(tmp.resolve(".env"), String.join("\n",
                "STREAM_URL=http://192.168.1.50:81/stream", "S3_BUCKET=frames-bucket",
                "AWS_ACCESS_KEY_ID=AKIDFROMDOTENV", "AWS_SECRET_ACCESS_KEY=secretFromDotEnv",
                "AWS_SESSION_TOKEN=tokenFromDotEnv", "AWS_REGION=eu-west-3", ""));
        ForwarderConfig c = ForwarderConfig.load(Map.of(), dotEnv);
        try (S3Client s3 = EdgeForwarder.s3Client(c)) {
            AwsCredentialsIdentity id = s3.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
            assertEquals("AKIDFROMDOTENV", id.accessKeyId());
            assertEquals("secretFromDotEnv", id.secretAccessKey());
            assertEquals("tokenFromDotEnv", ((AwsSessionCredentialsIdentity) id).sessionToken());
            assertEquals(Region.EU_WEST_3, s3.serviceClientConfiguration().region());
        }
        // a profile named in .env, from the credentials file named there too
        Path creds = Files.writeString(tmp.resolve("credentials"),
                "[edge]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = secretProfile\n");
        Path profileEnv = Files.writeString(tmp.resolve("profile.env"), String.join("\n",
                "STREAM_URL=http://192.168.1.50:81/stream", "S3_BUCKET=frames-bucket", "AWS_PROFILE=edge",
                "AWS_SHARED_CREDENTIALS_FILE=" + creds, ""));
        try (S3Client s3 = EdgeForwarder.s3Client(ForwarderConfig.load(Map.of(), profileEnv))) {
            AwsCredentialsIdentity id = s3.serviceClientConfiguration().credentialsProvider().resolveIdentity().join();
            assertEquals("AKIDPROFILE", id.accessKeyId());
        }
    }

    @Test
    void halfAKeyPairAndABadBindAddressAreNamed() {
        Map<String, String> env = base();
        env.put("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE");
        env.put("HEALTH_BIND_ADDRESS", "everywhere");
        var e = assertThrows(ConfigException.class, () -> ForwarderConfig.from(env));
        assertEquals("invalid configuration:\n  AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not\n"
                + "  HEALTH_BIND_ADDRESS must be an IP address (0.0.0.0 for all, 127.0.0.1 for this machine only), "
                + "got 'everywhere'", e.getMessage());
    }
}
