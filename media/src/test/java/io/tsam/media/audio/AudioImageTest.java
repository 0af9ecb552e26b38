package io.tsam.media.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.media.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioImageTest {

    /**
     * Versus torch: MelSpectrogram, log, {@code F.interpolate(bilinear, align_corners=False,
     * antialias=True)}, standardise; 40x48 shrinks the 128 bands and stretches the 31/13/7 frames,
     * 136x16 does the opposite. Measured max abs errors 1.9e-5 and 6.7e-5.
     */
    @ParameterizedTest
    @CsvSource({"40, 48", "136, 16"})
    void matchesTorchReference(int height, int width) {
        float[] x = AudioFixtures.load("logmel_in.npy").data();
        Npy.Array expected = AudioFixtures.load("image_" + height + "x" + width + ".npy");

        float[] image = AudioImage.build(x, height, width);

        assertArrayEquals(new long[] {3, height, width}, expected.shape());
        double error = AudioFixtures.maxAbsDiff(expected.data(), image);
        assertTrue(error <= 1e-3, height + "x" + width + ": max abs error " + error);
    }

    @Test
    void everyChannelIsStandardised() {
        float[] x = AudioFixtures.load("logmel_in.npy").data();

        float[] image = AudioImage.build(x, 32, 24);

        int plane = 32 * 24;
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < plane; i++) {
                sum += image[c * plane + i];
                squares += image[c * plane + i] * (double) image[c * plane + i];
            }
            double mean = sum / plane;
            assertEquals(0.0, mean, 1e-5, "channel " + c);
            assertEquals(1.0, Math.sqrt(squares / plane - mean * mean), 1e-4, "channel " + c);
        }
    }

    @Test
    void silentInputGivesTheSilenceImage() {
        float[] image = AudioImage.build(new float[8000], 24, 20);

        assertArrayEquals(AudioImage.silence(24, 20), image);
        assertEquals(3 * 24 * 20, image.length);
        for (float v : image) {
            assertEquals(0f, v);
        }
    }

    @Test
    void fromTrackMixesToMonoAndResamplesTo16kHz() {
        int rate = 22050;
        float[] left = new float[rate / 2];
        float[] right = new float[rate / 2];
        for (int i = 0; i < left.length; i++) {
            left[i] = (float) Math.sin(2 * Math.PI * 440.0 * i / rate);
            right[i] = (float) (0.3 * Math.sin(2 * Math.PI * 3000.0 * i / rate));
        }
        AudioTrack track = new AudioTrack(rate, new float[][] {left, right});
        float[] mono16k = SincResampler.resample(track.mono(), rate, AudioImage.SAMPLE_RATE);

        float[] image = AudioImage.fromTrack(track, 16, 16);

        assertArrayEquals(AudioImage.build(mono16k, 16, 16), image);
        float[] leftOnly = AudioImage.fromTrack(new AudioTrack(rate, new float[][] {left}), 16, 16);
        assertTrue(AudioFixtures.maxAbsDiff(leftOnly, image) > 0.1, "right channel ignored");
    }

    @Test
    void windowsAreTheSpecsMillisecondPairsAt16kHz() {
        int[][] millis = {{25, 10}, {50, 25}, {100, 50}};
        assertEquals(millis.length, AudioImage.WINDOWS.size());
        for (int c = 0; c < millis.length; c++) {
            int perMs = AudioImage.SAMPLE_RATE / 1000;
            assertEquals(
                    new AudioImage.Window(millis[c][0] * perMs, millis[c][1] * perMs),
                    AudioImage.WINDOWS.get(c));
        }
    }

    @Test
    void rejectsEmptySizes() {
        assertThrows(IllegalArgumentException.class, () -> AudioImage.build(new float[100], 0, 4));
        assertThrows(IllegalArgumentException.class, () -> AudioImage.silence(4, -1));
    }
}
