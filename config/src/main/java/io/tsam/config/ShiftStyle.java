package io.tsam.config;

/**
 * How a temporal shift lays out its channel groups and what a read past the clip gives (SPEC §1).
 */
public enum ShiftStyle {
    /**
     * TSAM's published {@code TempoModalShift.shift_temporal}: with {@code f = (C / f_div) / k},
     * distance {@code d} owns channels {@code [(2d-2)f, 2d f)}, the first {@code f} reading the
     * future and the next {@code f} the past; a frame whose read would leave the clip keeps its own
     * value. The default, because checkpoints trained with TSAM's code compute this.
     */
    TSAM("tsam"),
    /**
     * TSM's {@code TemporalShift.shift}: one future and one past fold of {@code C / f_div}
     * channels, each cut into {@code k} consecutive distance groups; reads past the clip give
     * zeros.
     */
    TSM("tsm");

    private final String jsonName;

    ShiftStyle(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in the config file. */
    public String jsonName() {
        return jsonName;
    }
}
