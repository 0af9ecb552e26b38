package io.tsam.media.synth;

import java.util.SplittableRandom;

/**
 * One video's sound: a sine tone in its class's band, with random frequency, amplitude and phase,
 * white noise, and the same short fade at both ends.
 *
 * <p>Nothing here depends on time order, so classes that differ only in motion share the
 * distribution of audio tracks.
 */
final class ToneTrack {
    private ToneTrack() {}

    /** Renders {@code samples} mono samples in [-1, 1] at {@code sampleRate}. */
    static float[] render(SynthClass.Tone tone, SplittableRandom rng, int sampleRate, int samples) {
        double frequency = uniform(rng, tone.minHz(), tone.maxHz());
        double amplitude = uniform(rng, 0.15, 0.5);
        double phase = uniform(rng, 0.0, 2 * Math.PI);
        double noiseSigma = uniform(rng, 0.002, 0.03);
        // A fade avoids a click at the cut, which would smear energy across all bands.
        int fade = Math.min(samples / 2, (int) Math.round(uniform(rng, 0.005, 0.05) * sampleRate));
        double step = 2 * Math.PI * frequency / sampleRate;
        float[] out = new float[samples];
        for (int n = 0; n < samples; n++) {
            double gain = Math.min(1.0, Math.min(n, samples - 1 - n) / (double) Math.max(1, fade));
            double value =
                    amplitude * gain * Math.sin(step * n + phase) + noiseSigma * rng.nextGaussian();
            out[n] = (float) Math.min(1.0, Math.max(-1.0, value));
        }
        return out;
    }

    private static double uniform(SplittableRandom rng, double min, double max) {
        return min + (max - min) * rng.nextDouble();
    }
}
