package io.tsam.media.audio;

/**
 * Triangular mel filterbanks on the HTK mel scale without band normalisation, as {@code
 * torchaudio.functional.melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate, norm=None,
 * mel_scale="htk")} builds them.
 *
 * <p>The bins are {@code n_freqs} frequencies evenly spaced from 0 to {@code sample_rate // 2} (the
 * one-sided STFT bins); the {@code n_mels + 2} band edges are evenly spaced in mel from {@code
 * f_min} to {@code f_max}. Values are computed in double and rounded once to float: torchaudio
 * builds the same bank in float32 (with a {@code linspace} whose rounding depends on the CPU's
 * vector width), which differs from the exact values by up to 1.4e-5 for the SPEC's banks.
 */
public final class MelFilterbank {
    private MelFilterbank() {}

    /** The HTK mel value of {@code hz}: {@code 2595 log10(1 + hz / 700)}. */
    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    /** The frequency in Hz of the HTK mel value {@code mel}; the inverse of {@link #hzToMel}. */
    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }

    /**
     * The centre frequencies in Hz of the {@code nMels} bands between {@code fMin} and {@code fMax}
     * (band {@code m} peaks at element {@code m}).
     */
    public static double[] centres(double fMin, double fMax, int nMels) {
        double[] edges = edges(fMin, fMax, nMels);
        double[] out = new double[nMels];
        System.arraycopy(edges, 1, out, 0, nMels);
        return out;
    }

    /**
     * The filterbank as a row-major {@code [nFreqs][nMels]} matrix: element {@code [k][m]} weighs
     * STFT bin {@code k} in mel band {@code m}.
     *
     * @param nFreqs number of one-sided STFT bins, {@code n_fft / 2 + 1}
     * @param fMin lowest band edge in Hz, at least 0
     * @param fMax highest band edge in Hz, above {@code fMin}
     * @param nMels number of bands, at least 1
     * @param sampleRate the signal's sample rate in Hz
     */
    public static float[] htk(int nFreqs, double fMin, double fMax, int nMels, int sampleRate) {
        if (nFreqs < 1 || nMels < 1 || sampleRate <= 0) {
            throw new IllegalArgumentException(
                    "need nFreqs >= 1, nMels >= 1 and a positive sample rate, got nFreqs="
                            + nFreqs
                            + ", nMels="
                            + nMels
                            + ", sampleRate="
                            + sampleRate);
        }
        double[] edges = edges(fMin, fMax, nMels);
        // torchaudio spaces the bins up to sample_rate // 2, an integer division.
        double nyquist = sampleRate / 2;
        float[] fb = new float[nFreqs * nMels];
        for (int k = 0; k < nFreqs; k++) {
            double f = nFreqs == 1 ? 0.0 : nyquist * k / (nFreqs - 1);
            for (int m = 0; m < nMels; m++) {
                double down = (f - edges[m]) / (edges[m + 1] - edges[m]);
                double up = (edges[m + 2] - f) / (edges[m + 2] - edges[m + 1]);
                fb[k * nMels + m] = (float) Math.max(0.0, Math.min(down, up));
            }
        }
        return fb;
    }

    private static double[] edges(double fMin, double fMax, int nMels) {
        if (!(fMin >= 0 && fMax > fMin) || Double.isInfinite(fMax)) {
            throw new IllegalArgumentException(
                    "mel range must satisfy 0 <= fMin < fMax, got fMin="
                            + fMin
                            + " Hz, fMax="
                            + fMax
                            + " Hz");
        }
        if (nMels < 1) {
            throw new IllegalArgumentException("nMels must be at least 1, got " + nMels);
        }
        double mMin = hzToMel(fMin);
        double mMax = hzToMel(fMax);
        int count = nMels + 2;
        double[] edges = new double[count];
        for (int i = 0; i < count; i++) {
            edges[i] = melToHz(mMin + (mMax - mMin) * i / (count - 1));
        }
        return edges;
    }
}
