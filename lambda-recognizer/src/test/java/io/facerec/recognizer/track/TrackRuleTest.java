package io.facerec.recognizer.track;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.facerec.model.match.Match;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrackRuleTest {
    static final TrackRule RULE = new TrackRule(2, 3, 0.10, 0.10);

    static Match known(String who, double sim, double margin) {
        return new Match(who, (float) sim, (float) margin, true);
    }

    static Match below(String who, double sim, double margin) {
        return new Match(who, (float) sim, (float) margin, false);
    }

    @Test
    void twoOfThreeNamesAndShowsTheStrongerFace() {
        var d = RULE.decide(List.of(known("ana", 0.55, 0.2), below("ana", 0.45, 0.2), known("ana", 0.57, 0.3)), 0.5);
        assertEquals(Optional.of(new TrackRule.Decision("ana", 2)), d);
    }

    @Test
    void twoFacesTooFarApartDoNotName() {
        var faces = List.of(known("ana", 0.55, 0.2), below("ana", 0.45, 0.2), below("ana", 0.40, 0.2),
                known("ana", 0.56, 0.2));
        assertEquals(Optional.empty(), RULE.decide(faces, 0.5));
    }

    @Test
    void oneFaceClearlyAboveTheThresholdNamesAtOnce() {
        assertEquals(Optional.of(new TrackRule.Decision("ana", 0)), RULE.decide(List.of(known("ana", 0.61, 0.15)), 0.5));
        assertEquals(Optional.empty(), RULE.decide(List.of(known("ana", 0.59, 0.15)), 0.5), "below threshold + 0.10");
        assertEquals(Optional.empty(), RULE.decide(List.of(known("ana", 0.70, 0.05)), 0.5), "a look-alike too close");
    }

    @Test
    void facesOfDifferentPeopleOrWithoutMarginDoNotAddUp() {
        assertEquals(Optional.empty(), RULE.decide(List.of(known("ana", 0.55, 0.2), known("bea", 0.55, 0.2)), 0.5));
        assertEquals(Optional.empty(), RULE.decide(List.of(known("ana", 0.55, 0.05), known("ana", 0.55, 0.05)), 0.5));
        assertEquals(Optional.empty(), RULE.decide(Arrays.asList(known("ana", 0.55, 0.2), null), 0.5), "no match: no vote");
    }

    /** The bars are relative to the matcher's threshold, in its similarity units, whatever the metric. */
    @Test
    void barsFollowTheThresholdOfAnotherScale() {
        // a Euclidean gallery at distance 0.6 reports similarity 1 - distance: threshold 0.4
        assertEquals(Optional.of(new TrackRule.Decision("ana", 0)), RULE.decide(List.of(known("ana", 0.52, 0.15)), 0.4));
        assertEquals(Optional.empty(), RULE.decide(List.of(known("ana", 0.48, 0.15)), 0.4));
    }

    /** k = 0: a track is named by one face clearly above the threshold only, however many faces agree below that. */
    @Test
    void withoutVotesOnlyOneClearFaceNames() {
        TrackRule one = new TrackRule(0, 3, 0.10, 0.10);
        assertEquals(Optional.empty(), one.decide(List.of(known("ana", 0.55, 0.15), known("ana", 0.56, 0.15),
                known("ana", 0.57, 0.15)), 0.5));
        assertEquals(Optional.of(new TrackRule.Decision("ana", 1)), one.decide(List.of(known("ana", 0.55, 0.15),
                known("ana", 0.61, 0.15)), 0.5));
    }

    @Test
    void kMustNotExceedN() {
        assertThrows(IllegalArgumentException.class, () -> new TrackRule(3, 2, 0.1, 0.1));
        assertTrue(new TrackRule(1, 1, 0, 0).decide(List.of(known("ana", 0.5, 0)), 0.5).isPresent());
    }
}
