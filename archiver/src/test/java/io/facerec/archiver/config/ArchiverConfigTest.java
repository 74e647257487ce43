package io.facerec.archiver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.facerec.model.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ArchiverConfigTest {
    @Test
    void defaultsKeepFramesHotThirtyDaysAndWriteGlacier() {
        ArchiverConfig c = ArchiverConfig.from(Map.of("FRAMES_BUCKET", "b"));
        assertEquals(Duration.ofDays(30), c.hotWindow());
        assertEquals("GLACIER", c.storageClass());
        assertEquals(16 * 1024 * 1024, c.partSizeBytes());
        assertEquals(Duration.ofMinutes(5), ArchiverConfig.from(Map.of("FRAMES_BUCKET", "b", "HOT_MINUTES", "5")).hotWindow());
        assertEquals("DEEP_ARCHIVE", ArchiverConfig.from(Map.of("FRAMES_BUCKET", "b", "ARCHIVE_STORAGE_CLASS", "deep_archive"))
                .storageClass());
    }

    @Test
    void everyBadSettingIsListed() {
        ConfigException e = assertThrows(ConfigException.class, () -> ArchiverConfig.from(Map.of(
                "ARCHIVE_STORAGE_CLASS", "STANDARD", "PART_SIZE_MB", "1", "HOT_MINUTES", "-1")));
        assertEquals(List.of("FRAMES_BUCKET is required", "HOT_MINUTES must be between 0 and 5256000, got -1",
                "ARCHIVE_STORAGE_CLASS must be one of [GLACIER, DEEP_ARCHIVE, GLACIER_IR], got 'STANDARD'",
                "PART_SIZE_MB must be between 5 and 512, got 1"), e.problems());
    }
}
