package io.tsam.media.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SynthSpecTest {
    @Test
    void defaultsAreTheDocumentedOnes() {
        SynthSpec spec = SynthSpec.defaults();
        assertEquals(new SynthSpec(16, 0L, 160, 120, 3.0, 25, 16000, 2), spec);
        assertEquals(75, spec.frames());
        assertEquals(48000, spec.samples());
    }

    @Test
    void validationGetsAQuarterRoundedAndAtLeastOneFromTwo() {
        int[][] expected = {{1, 0}, {2, 1}, {3, 1}, {4, 1}, {5, 1}, {6, 2}, {10, 3}, {16, 4}};
        for (int[] row : expected) {
            SynthSpec spec = SynthSpec.defaults().withPerClass(row[0]);
            assertEquals(row[1], spec.validationPerClass(), "perClass " + row[0]);
            assertEquals(row[0] - row[1], spec.trainingPerClass(), "perClass " + row[0]);
        }
    }

    @Test
    void withersChangeOneField() {
        SynthSpec spec =
                SynthSpec.defaults()
                        .withPerClass(3)
                        .withSeed(9)
                        .withSize(64, 48)
                        .withSeconds(1.0)
                        .withFps(10)
                        .withSampleRate(22050)
                        .withThreads(1);
        assertEquals(new SynthSpec(3, 9L, 64, 48, 1.0, 10, 22050, 1), spec);
        assertEquals(10, spec.frames());
        assertEquals(22050, spec.samples());
    }

    @Test
    void badValuesAreRejectedWithTheValueInTheMessage() {
        SynthSpec d = SynthSpec.defaults();
        assertMessage(() -> d.withPerClass(0), "perClass 0");
        assertMessage(() -> d.withSize(63, 48), "width 63");
        assertMessage(() -> d.withSize(64, 30), "height 30");
        assertMessage(() -> d.withSeconds(0.0), "seconds 0.0");
        assertMessage(() -> d.withSeconds(Double.NaN), "seconds NaN");
        assertMessage(() -> d.withFps(121), "fps 121");
        assertMessage(() -> d.withFps(1).withSeconds(1.0), "fewer than 2 frames");
        assertMessage(() -> d.withSampleRate(12345), "sampleRate 12345");
        assertMessage(() -> d.withThreads(0), "threads 0");
    }

    private static void assertMessage(Runnable action, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
