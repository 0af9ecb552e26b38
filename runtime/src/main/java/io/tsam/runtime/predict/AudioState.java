package io.tsam.runtime.predict;

import java.util.Locale;

/** What the audio segment of a prediction was built from (SPEC §2). */
public enum AudioState {
    /** The file's audio track. */
    PRESENT,
    /** Silence, because the file has no audio track. */
    MISSING,
    /** Nothing: the model has no audio segment. */
    OFF;

    /** The name used in output, e.g. {@code missing}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
