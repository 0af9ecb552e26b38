package io.tsam.media.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.media.io.Npy;
import java.util.Arrays;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LogMelSpectrogramTest {

    private static LogMelSpectrogram spectrogram(int win, int hop) {
        return LogMelSpectrogram.builder().setSampleRate(16000).setWindow(win, hop).build();
    }

    /**
     * Versus {@code log(torchaudio MelSpectrogram + 1e-6)} in float32 on a chirp + tones + noise;
     * measured max abs errors 5.3e-5, 2.3e-4 and 2.3e-5, mostly torchaudio's float32 filterbank.
     */
    @ParameterizedTest
    @CsvSource({"400, 160, 512, 31", "800, 400, 1024, 13", "1600, 800, 2048, 7"})
    void matchesTorchaudio(int win, int hop, int nFft, int frames) {
        float[] x = AudioFixtures.load("logmel_in.npy").data();
        Npy.Array expected = AudioFixtures.load("logmel_" + win + "_" + hop + ".npy");
        LogMelSpectrogram spectrogram = spectrogram(win, hop);

        float[] actual = spectrogram.compute(x);

        assertEquals(nFft, spectrogram.nFft());
        assertEquals(frames, spectrogram.frames(x.length));
        assertArrayEquals(new long[] {128, frames}, expected.shape());
        double error = AudioFixtures.maxAbsDiff(expected.data(), actual);
        assertTrue(error < 5e-4, "window " + win + ": max abs error " + error);
    }

    @Test
    void silenceIsTheLogOfTheOffsetEverywhere() {
        LogMelSpectrogram spectrogram = spectrogram(400, 160);

        float[] mel = spectrogram.compute(new float[3200]);

        assertEquals(128 * 21, mel.length);
        for (float v : mel) {
            assertEquals((float) Math.log(1e-6), v);
        }
    }

    @Test
    void signalsTooShortToReflectAreZeroPaddedAtTheEnd() {
        LogMelSpectrogram spectrogram = spectrogram(1600, 800);
        float[] shortSignal = new float[100];
        for (int i = 0; i < shortSignal.length; i++) {
            shortSignal[i] = (float) Math.sin(i * 0.3);
        }
        float[] padded = Arrays.copyOf(shortSignal, spectrogram.nFft() / 2 + 1);

        assertEquals(2, spectrogram.frames(shortSignal.length));
        assertArrayEquals(spectrogram.compute(padded), spectrogram.compute(shortSignal));
        assertEquals(128 * 2, spectrogram.compute(new float[0]).length);
    }

    @Test
    void framesFollowTheCentredFrameCount() {
        LogMelSpectrogram spectrogram = spectrogram(400, 160);

        assertEquals(1 + 16000 / 160, spectrogram.frames(16000));
        assertEquals(1 + 16159 / 160, spectrogram.frames(16159));
        assertEquals(128 * spectrogram.frames(16159), spectrogram.compute(new float[16159]).length);
    }

    @Test
    void oneInstanceGivesTheSameResultFromManyThreads() throws Exception {
        LogMelSpectrogram spectrogram = spectrogram(800, 400);
        float[] x = AudioFixtures.load("logmel_in.npy").data();
        float[] expected = spectrogram.compute(x);

        float[][] results =
                IntStream.range(0, 8)
                        .parallel()
                        .mapToObj(i -> spectrogram.compute(x))
                        .toArray(float[][]::new);

        for (float[] r : results) {
            assertArrayEquals(expected, r);
        }
    }

    @Test
    void builderRejectsMissingOrBadSettings() {
        assertThrows(
                IllegalArgumentException.class,
                () -> LogMelSpectrogram.builder().setWindow(400, 160).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> LogMelSpectrogram.builder().setSampleRate(16000).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> LogMelSpectrogram.builder().setSampleRate(16000).setWindow(400, 0).build());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        LogMelSpectrogram.builder()
                                .setSampleRate(16000)
                                .setWindow(400, 160)
                                .optFrequencyRange(9000, 100)
                                .build());
    }
}
