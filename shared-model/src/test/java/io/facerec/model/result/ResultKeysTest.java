package io.facerec.model.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ResultKeysTest {
    @Test
    void keysOfTwoPartsNeverCollideWhenAPartHoldsTheSeparator() {
        // names may hold '#': "a#b" on camera "c" must not be "b" on camera "c#a"... nor any other pair
        assertNotEquals(ResultKeys.cooldownPk("a#b", "c"), ResultKeys.cooldownPk("a", "b#c"));
        assertNotEquals(ResultKeys.cooldownPk("a", "b#c"), ResultKeys.cooldownPk("a#b", "c"));
        assertNotEquals(ResultKeys.cooldownPk("a%23b", "c"), ResultKeys.cooldownPk("a#b", "c"), "the escape is escaped too");
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        assertNotEquals(ResultKeys.timeAndCamera(t, "a#b"), ResultKeys.timeAndCamera(t, "a%23b"));
    }

    @Test
    void plainNamesKeepTheKeysTheyAlwaysHad() {
        // existing items stay reachable: only '#' and '%' are escaped
        assertEquals("COOLDOWN#door#José María", ResultKeys.cooldownPk("door", "José María"));
        assertEquals("PERSON#ana", ResultKeys.personPk("ana"));
        assertEquals("2026-01-01T00:00:00.000Z#door", ResultKeys.timeAndCamera(Instant.parse("2026-01-01T00:00:00Z"), "door"));
    }

    @Test
    void trackAndClusterKeys() {
        assertEquals("TRACKS#door", ResultKeys.tracksPk("door"));
        assertEquals("C#000007", ResultKeys.clusterSk(7));
        // clusters sort by number as strings do
        assertEquals(-1, Integer.signum(ResultKeys.clusterSk(99).compareTo(ResultKeys.clusterSk(100))));
    }
}
