package io.tsam.media.audio;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Log-mel spectrogram: {@code ln(mel + offset)} (1e-6 by default) of a power spectrogram with
 * centred, reflect-padded Hann-windowed frames.
 *
 * <p>Up to the log this is {@code torchaudio.transforms.MelSpectrogram(sample_rate, n_fft,
 * win_length, hop_length, f_min, f_max, n_mels, mel_scale="htk", norm=None, center=True,
 * pad_mode="reflect", power=2.0)} with {@code n_fft} by default the next power of two at or above
 * the window (TSAM's code: 4800): the periodic Hann window of {@code win_length} samples sits in
 * the middle of the {@code n_fft} frame (left offset {@code (n_fft - win_length) / 2}, as {@code
 * torch.stft} pads it), the signal is reflect-padded by {@code n_fft / 2} on both sides, and frame
 * {@code t} starts at {@code t * hop_length} of the padded signal, giving {@code 1 + length /
 * hop_length} frames.
 *
 * <p>A signal shorter than {@code n_fft / 2 + 1} samples cannot be reflect-padded ({@code torch}
 * rejects it), so it is first zero-padded at its end to that length.
 *
 * <p>The FFT runs in double. Instances are immutable and safe to share between threads: the FFT
 * plan, window and filterbank are only read, and each {@link #compute} call works in its own
 * buffers.
 */
public final class LogMelSpectrogram {
    /** Added to the mel energies before the logarithm, so silence maps to {@code ln(1e-6)}. */
    public static final double LOG_OFFSET = 1e-6;

    private final int sampleRate;
    private final int winLength;
    private final int hopLength;
    private final int nFft;
    private final int nMels;
    private final double logOffset;
    private final double[] window;
    private final DoubleFFT_1D fft;
    // Band m weighs bins bandFirst[m] .. bandFirst[m] + bandWeights[m].length - 1; the filterbank
    // is mostly zeros, so only each band's non-zero run is kept.
    private final int[] bandFirst;
    private final double[][] bandWeights;

    private LogMelSpectrogram(
            int sampleRate,
            int winLength,
            int hopLength,
            int nFft,
            int nMels,
            double fMin,
            double fMax,
            double logOffset) {
        this.sampleRate = sampleRate;
        this.winLength = winLength;
        this.hopLength = hopLength;
        this.nFft = nFft;
        this.logOffset = logOffset;
        this.nMels = nMels;
        this.window = centredHann(winLength, nFft);
        this.fft = new DoubleFFT_1D(nFft);
        int nFreqs = nFft / 2 + 1;
        float[] fb = MelFilterbank.htk(nFreqs, fMin, fMax, nMels, sampleRate);
        this.bandFirst = new int[nMels];
        this.bandWeights = new double[nMels][];
        for (int m = 0; m < nMels; m++) {
            int first = 0;
            while (first < nFreqs && fb[first * nMels + m] == 0f) {
                first++;
            }
            int last = nFreqs - 1;
            while (last >= first && fb[last * nMels + m] == 0f) {
                last--;
            }
            bandFirst[m] = Math.min(first, nFreqs - 1);
            bandWeights[m] = new double[Math.max(0, last - first + 1)];
            for (int k = first; k <= last; k++) {
                bandWeights[m][k - first] = fb[k * nMels + m];
            }
        }
    }

    /** A builder; sample rate and window are required, see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** Sample rate in Hz the signal is expected at. */
    public int sampleRate() {
        return sampleRate;
    }

    /** Window length in samples. */
    public int winLength() {
        return winLength;
    }

    /** Hop between frames in samples. */
    public int hopLength() {
        return hopLength;
    }

    /** FFT size: the next power of two at or above the window length. */
    public int nFft() {
        return nFft;
    }

    /** Number of mel bands (rows of the result). */
    public int nMels() {
        return nMels;
    }

    /** Number of frames (columns) {@link #compute} returns for a signal of {@code samples}. */
    public int frames(int samples) {
        if (samples < 0) {
            throw new IllegalArgumentException("sample count must be >= 0, got " + samples);
        }
        return 1 + Math.max(samples, nFft / 2 + 1) / hopLength;
    }

    /**
     * The log-mel spectrogram of {@code samples}.
     *
     * @return row-major {@code [nMels][frames(samples.length)]}: row 0 is the lowest band, column
     *     {@code t} the frame centred on sample {@code t * hopLength}
     */
    public float[] compute(float[] samples) {
        int length = Math.max(samples.length, nFft / 2 + 1);
        double[] signal = new double[length];
        for (int i = 0; i < samples.length; i++) {
            signal[i] = samples[i];
        }
        int frames = frames(samples.length);
        int pad = nFft / 2;
        int nFreqs = nFft / 2 + 1;
        double[] frame = new double[nFft];
        double[] power = new double[nFreqs];
        float[] out = new float[nMels * frames];
        for (int t = 0; t < frames; t++) {
            int start = t * hopLength - pad;
            for (int i = 0; i < nFft; i++) {
                frame[i] = window[i] * signal[reflect(start + i, length)];
            }
            fft.realForward(frame);
            // realForward packs Re[0], Re[n/2], then (Re[k], Im[k]) pairs for 0 < k < n/2.
            power[0] = frame[0] * frame[0];
            power[nFreqs - 1] = frame[1] * frame[1];
            for (int k = 1; k < nFreqs - 1; k++) {
                double re = frame[2 * k];
                double im = frame[2 * k + 1];
                power[k] = re * re + im * im;
            }
            for (int m = 0; m < nMels; m++) {
                double[] w = bandWeights[m];
                int first = bandFirst[m];
                double mel = 0;
                for (int k = 0; k < w.length; k++) {
                    mel += w[k] * power[first + k];
                }
                out[m * frames + t] = (float) Math.log(mel + logOffset);
            }
        }
        return out;
    }

    /** Index into a signal of {@code length} reflected at both ends without repeating the edge. */
    private static int reflect(int i, int length) {
        if (i < 0) {
            return -i;
        }
        if (i >= length) {
            return 2 * (length - 1) - i;
        }
        return i;
    }

    private static int nextPowerOfTwo(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    /** The periodic Hann window of {@code winLength}, zero-padded centrally to {@code nFft}. */
    private static double[] centredHann(int winLength, int nFft) {
        double[] w = new double[nFft];
        int offset = (nFft - winLength) / 2;
        for (int n = 0; n < winLength; n++) {
            w[offset + n] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * n / winLength);
        }
        return w;
    }

    /**
     * Configures a {@link LogMelSpectrogram}: {@link #setSampleRate} and {@link #setWindow} are
     * required; the mel bands default to 128 from 0 Hz to the Nyquist frequency.
     */
    public static final class Builder {
        private int sampleRate;
        private int winLength;
        private int hopLength;
        private int nMels = 128;
        private double fMin = 0.0;
        private double fMax = Double.NaN;
        private int nFft;
        private double logOffset = LOG_OFFSET;

        private Builder() {}

        /**
         * Sets the FFT size (default: the next power of two at or above the window); at least the
         * window, which sits in its middle. TSAM's code uses 4800 whatever the window.
         */
        public Builder optFftSize(int nFft) {
            this.nFft = nFft;
            return this;
        }

        /** Sets what is added before the natural log (default {@link #LOG_OFFSET}). */
        public Builder optLogOffset(double logOffset) {
            this.logOffset = logOffset;
            return this;
        }

        /** Sets the signal's sample rate in Hz. */
        public Builder setSampleRate(int sampleRate) {
            this.sampleRate = sampleRate;
            return this;
        }

        /** Sets the window and hop lengths in samples. */
        public Builder setWindow(int winLength, int hopLength) {
            this.winLength = winLength;
            this.hopLength = hopLength;
            return this;
        }

        /** Sets the number of mel bands (default 128). */
        public Builder optMels(int nMels) {
            this.nMels = nMels;
            return this;
        }

        /** Sets the mel range in Hz (default 0 to {@code sampleRate / 2}). */
        public Builder optFrequencyRange(double fMin, double fMax) {
            this.fMin = fMin;
            this.fMax = fMax;
            return this;
        }

        /** Checks the settings and builds the extractor. */
        public LogMelSpectrogram build() {
            if (sampleRate <= 0) {
                throw new IllegalArgumentException(
                        "sample rate must be positive, got "
                                + sampleRate
                                + " Hz; call setSampleRate");
            }
            if (winLength < 2 || hopLength < 1) {
                throw new IllegalArgumentException(
                        "window must be at least 2 samples and hop at least 1, got window="
                                + winLength
                                + ", hop="
                                + hopLength
                                + "; call setWindow");
            }
            if (winLength > (1 << 30)) {
                throw new IllegalArgumentException(
                        "window of " + winLength + " samples is too long (at most 2^30)");
            }
            if (nMels < 1) {
                throw new IllegalArgumentException("nMels must be at least 1, got " + nMels);
            }
            int fftSize = nFft == 0 ? nextPowerOfTwo(winLength) : nFft;
            if (fftSize < winLength) {
                throw new IllegalArgumentException(
                        "a window of "
                                + winLength
                                + " samples does not fit an FFT of "
                                + fftSize
                                + " (torch.stft needs win_length <= n_fft)");
            }
            if (!(logOffset > 0)) {
                throw new IllegalArgumentException("log offset must be > 0, got " + logOffset);
            }
            // torchaudio's default upper edge is sample_rate // 2, an integer division.
            double upper = Double.isNaN(fMax) ? sampleRate / 2 : fMax;
            // MelFilterbank checks the frequency range.
            return new LogMelSpectrogram(
                    sampleRate, winLength, hopLength, fftSize, nMels, fMin, upper, logOffset);
        }
    }
}
