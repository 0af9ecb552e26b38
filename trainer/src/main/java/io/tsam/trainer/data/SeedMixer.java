package io.tsam.trainer.data;

/** Derives independent random streams from a run's seed, so nearby seeds give unrelated streams. */
final class SeedMixer {
    private SeedMixer() {}

    /** SplitMix64's finaliser over {@code a} and {@code b}. */
    static long mix(long a, long b) {
        long z = a * 0x9E37_79B9_7F4A_7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }
}
