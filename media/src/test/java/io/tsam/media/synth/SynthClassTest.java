package io.tsam.media.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SynthClassTest {
    @Test
    void labelsAreMotionTimesTwoPlusToneInDeclarationOrder() {
        List<String> names = Stream.of(SynthClass.values()).map(SynthClass::id).toList();
        assertEquals(
                List.of(
                        "left_to_right_low",
                        "left_to_right_high",
                        "right_to_left_low",
                        "right_to_left_high",
                        "growing_low",
                        "growing_high",
                        "shrinking_low",
                        "shrinking_high"),
                names);
        for (SynthClass c : SynthClass.values()) {
            assertEquals(c.ordinal(), c.label());
            assertEquals(c.motion().ordinal() * 2 + c.tone().ordinal(), c.label());
            assertEquals(c, SynthClass.ofLabel(c.label()));
        }
        assertEquals("shrinking_high_0012", SynthClass.SHRINKING_HIGH.videoId(12));
    }

    @Test
    void reversedMotionsAreTheSecondOfEachPair() {
        assertFalse(SynthClass.Motion.LEFT_TO_RIGHT.reversed());
        assertTrue(SynthClass.Motion.RIGHT_TO_LEFT.reversed());
        assertFalse(SynthClass.Motion.GROWING.reversed());
        assertTrue(SynthClass.Motion.SHRINKING.reversed());
        assertTrue(SynthClass.Motion.RIGHT_TO_LEFT.horizontal());
        assertFalse(SynthClass.Motion.SHRINKING.horizontal());
    }

    @Test
    void toneBandsAreFarApart() {
        assertTrue(SynthClass.Tone.LOW.maxHz() * 3 <= SynthClass.Tone.HIGH.minHz());
    }

    @Test
    void unknownLabelIsRejected() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SynthClass.ofLabel(8));
        assertTrue(e.getMessage().contains("label 8"), e.getMessage());
    }
}
