package io.tsam.media.synth;

import java.util.Locale;

/**
 * The eight classes of the synthetic data set: a {@link Motion} crossed with a {@link Tone}.
 *
 * <p>The label is {@code motion.ordinal() * 2 + tone.ordinal()}, which is also the declaration
 * order, so {@code values()[label]} is the class of a label. Classes that differ only in the
 * direction of time ({@code left_to_right} / {@code right_to_left}, {@code growing} / {@code
 * shrinking}) show the same distribution of single frames; classes that differ only in the tone
 * show the same distribution of frames altogether.
 */
public enum SynthClass {
    LEFT_TO_RIGHT_LOW(Motion.LEFT_TO_RIGHT, Tone.LOW),
    LEFT_TO_RIGHT_HIGH(Motion.LEFT_TO_RIGHT, Tone.HIGH),
    RIGHT_TO_LEFT_LOW(Motion.RIGHT_TO_LEFT, Tone.LOW),
    RIGHT_TO_LEFT_HIGH(Motion.RIGHT_TO_LEFT, Tone.HIGH),
    GROWING_LOW(Motion.GROWING, Tone.LOW),
    GROWING_HIGH(Motion.GROWING, Tone.HIGH),
    SHRINKING_LOW(Motion.SHRINKING, Tone.LOW),
    SHRINKING_HIGH(Motion.SHRINKING, Tone.HIGH);

    /** How the object changes over the clip. */
    public enum Motion {
        /** The object crosses the frame from left to right. */
        LEFT_TO_RIGHT(false),
        /** {@link #LEFT_TO_RIGHT} played backwards. */
        RIGHT_TO_LEFT(true),
        /** The object grows about a fixed centre. */
        GROWING(false),
        /** {@link #GROWING} played backwards. */
        SHRINKING(true);

        private final boolean reversed;

        Motion(boolean reversed) {
            this.reversed = reversed;
        }

        /**
         * Whether this motion is its partner played backwards; generating it as the exact time
         * reversal is what makes the two share their distribution of single frames.
         */
        public boolean reversed() {
            return reversed;
        }

        /** Whether the object moves sideways (otherwise it changes size in place). */
        public boolean horizontal() {
            return this == LEFT_TO_RIGHT || this == RIGHT_TO_LEFT;
        }

        /** The lower-case name used in class names, e.g. {@code left_to_right}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The frequency band of the sine tone on the audio track. */
    public enum Tone {
        /** 250 to 450 Hz. */
        LOW(250.0, 450.0),
        /** 1500 to 2500 Hz. */
        HIGH(1500.0, 2500.0);

        private final double minHz;
        private final double maxHz;

        Tone(double minHz, double maxHz) {
            this.minHz = minHz;
            this.maxHz = maxHz;
        }

        /** The lowest tone frequency of this band, in Hz. */
        public double minHz() {
            return minHz;
        }

        /** The highest tone frequency of this band, in Hz. */
        public double maxHz() {
            return maxHz;
        }

        /** The lower-case name used in class names, e.g. {@code low}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Motion motion;
    private final Tone tone;

    SynthClass(Motion motion, Tone tone) {
        this.motion = motion;
        this.tone = tone;
    }

    /** The class of {@code label}, which must be in {@code [0, 8)}. */
    public static SynthClass ofLabel(int label) {
        SynthClass[] all = values();
        if (label < 0 || label >= all.length) {
            throw new IllegalArgumentException(
                    "label "
                            + label
                            + " is not a synthetic class; allowed: 0.."
                            + (all.length - 1));
        }
        return all[label];
    }

    /** The integer label, {@code motion * 2 + tone}. */
    public int label() {
        return motion.ordinal() * Tone.values().length + tone.ordinal();
    }

    /** How the object changes over the clip. */
    public Motion motion() {
        return motion;
    }

    /** The band of the tone on the audio track. */
    public Tone tone() {
        return tone;
    }

    /** The class name as written in {@code labels.txt}, e.g. {@code left_to_right_low}. */
    public String id() {
        return motion.id() + "_" + tone.id();
    }

    /** The video id of the {@code index}-th video of this class, e.g. {@code growing_high_0003}. */
    public String videoId(int index) {
        return String.format(Locale.ROOT, "%s_%04d", id(), index);
    }
}
