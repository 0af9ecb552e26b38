package io.tsam.media.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tsam.media.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MelFilterbankTest {

    @Test
    void matchesTorchaudioMelscaleFbanks() {
        Npy.Array expected = AudioFixtures.load("fbank_257x128.npy");
        assertArrayEquals(new long[] {257, 128}, expected.shape());

        float[] actual = MelFilterbank.htk(257, 0.0, 8000.0, 128, 16000);

        // torchaudio builds the bank in float32; measured difference 1.4e-5.
        double error = AudioFixtures.maxAbsDiff(expected.data(), actual);
        assertTrue(error < 5e-5, "max abs error vs torchaudio " + error);
    }

    @Test
    void htkScaleHasItsDefiningValues() {
        assertEquals(0.0, MelFilterbank.hzToMel(0.0), 1e-12);
        assertEquals(2595.0 * Math.log10(2.0), MelFilterbank.hzToMel(700.0), 1e-9);
        assertEquals(1000.0, MelFilterbank.hzToMel(1000.0), 0.02);
        for (double hz : new double[] {0.0, 55.0, 1000.0, 7999.5}) {
            assertEquals(hz, MelFilterbank.melToHz(MelFilterbank.hzToMel(hz)), 1e-9);
        }
    }

    @Test
    void weightsOfEachBinBetweenTheOuterCentresAddUpToOne() {
        float[] fb = MelFilterbank.htk(1025, 0.0, 8000.0, 128, 16000);
        double[] centres = MelFilterbank.centres(0.0, 8000.0, 128);
        for (int k = 0; k < 1025; k++) {
            double hz = 8000.0 * k / 1024;
            double sum = 0;
            for (int m = 0; m < 128; m++) {
                sum += fb[k * 128 + m];
            }
            // Between the first and the last centre, the two triangles around a bin add up to 1.
            if (hz >= centres[0] && hz <= centres[127]) {
                assertEquals(1.0, sum, 1e-6, "bin " + k + " at " + hz + " Hz");
            }
        }
    }

    /**
     * A pure 1 kHz tone puts most energy in the band whose centre is nearest 1 kHz; the expected
     * band comes straight from the HTK formula: 130 edges evenly spaced in mel over 0..8 kHz, band
     * m centred on edge m + 1.
     */
    @ParameterizedTest
    @CsvSource({"400, 160", "800, 400", "1600, 800"})
    void pureToneEnergyPeaksInTheBandCentredNearestToIt(int win, int hop) {
        double melMax = 2595.0 * Math.log10(1.0 + 8000.0 / 700.0);
        int expectedBand = -1;
        double best = Double.MAX_VALUE;
        for (int m = 0; m < 128; m++) {
            double centreMel = melMax * (m + 1) / 129;
            double centreHz = 700.0 * (Math.pow(10.0, centreMel / 2595.0) - 1.0);
            if (Math.abs(centreHz - 1000.0) < best) {
                best = Math.abs(centreHz - 1000.0);
                expectedBand = m;
            }
        }
        float[] tone = new float[16000];
        for (int i = 0; i < tone.length; i++) {
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 1000.0 * i / 16000));
        }
        LogMelSpectrogram spectrogram =
                LogMelSpectrogram.builder().setSampleRate(16000).setWindow(win, hop).build();

        float[] mel = spectrogram.compute(tone);

        int frames = spectrogram.frames(tone.length);
        int frame = frames / 2;
        int peak = 0;
        for (int m = 1; m < 128; m++) {
            if (mel[m * frames + frame] > mel[peak * frames + frame]) {
                peak = m;
            }
        }
        assertEquals(expectedBand, peak, "window " + win);
    }

    @Test
    void rejectsAnEmptyOrInvertedRange() {
        assertThrows(
                IllegalArgumentException.class,
                () -> MelFilterbank.htk(257, 8000.0, 100.0, 128, 16000));
        assertThrows(
                IllegalArgumentException.class,
                () -> MelFilterbank.htk(0, 0.0, 8000.0, 128, 16000));
        assertThrows(
                IllegalArgumentException.class,
                () -> MelFilterbank.htk(257, 0.0, 8000.0, 0, 16000));
    }
}
