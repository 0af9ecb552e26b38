package io.tsam.media.sampling;

import java.util.Locale;

/** Which frames a test clip takes from a video file. */
public enum FrameSampling {
    /** The segment's test frame, exactly (SPEC §2); the default everywhere. */
    EXACT,
    /**
     * Opt-in, for latency: in each segment the frame cheapest to decode near the test frame (see
     * {@link SegmentSampler#cheapest}); the exact frame where the file says nothing cheaper.
     */
    LATENCY;

    /** The name on command lines and in reports, e.g. {@code latency}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
