package io.facerec.model.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsReaderTest {
    @Test
    void everyProblemIsListedAndDefaultsStandIn() {
        SettingsReader r = SettingsReader.of(Map.of("N", "abc", "R", "7", "B", "maybe", "U", "ftp://token@host/x"));
        assertEquals(5, r.integer("N", 5, 0, 10), "an unparsable value falls back to the default");
        assertEquals(2, r.integer("R", 2, 0, 5));
        assertTrue(r.bool("B", true));
        assertTrue(r.url("U").isEmpty());
        r.required("MISSING");
        ConfigException e = assertThrows(ConfigException.class, r::finish);
        assertEquals(List.of("N must be a whole number, got 'abc'", "R must be between 0 and 5, got 7",
                "B must be true or false, got 'maybe'", "U must be an http(s) URL with a host", "MISSING is required"),
                e.problems());
        assertFalse(e.getMessage().contains("token"), "a URL's value is never repeated: it may carry credentials");
    }

    @Test
    void valuesAreTrimmedAndBlankMeansUnset() {
        SettingsReader r = SettingsReader.of(Map.of("A", "  0.25 ", "E", "   ", "P", "cam1=http://a, cam2=http://b"));
        assertEquals(0.25, r.decimal("A", 1, 0, 1));
        assertEquals("def", r.string("E", "def"));
        assertEquals(Map.of("cam1", "http://a", "cam2", "http://b"), r.pairs("P"));
        r.finish();
    }

    @Test
    void dotEnvFillsWhatTheEnvironmentLacks() {
        Map<String, String> m = SettingsReader.overDotEnv(Map.of("A", "env"),
                List.of("# comment", "export A=file", "B=\"quoted value\"", "not a setting", "C='x'"));
        assertEquals(Map.of("A", "env", "B", "quoted value", "C", "x"), m);
    }
}
