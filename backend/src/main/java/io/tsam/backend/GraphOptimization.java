package io.tsam.backend;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;

/**
 * ONNX Runtime's graph optimisation level for a session.
 *
 * <p>{@link #DEFAULT} is {@link #ALL}: at ONNX Runtime's highest level its CPU NCHWc layout
 * transformer blocks the convolutions' activations but converts them back around each shift's
 * {@code Gather}; on CPU, {@link #ALL} then moves the shifts into the blocked layout ({@link
 * BlockedShiftRewrite}), and {@link #ORT_ALL} is ONNX Runtime's level as it is, for comparison.
 */
public enum GraphOptimization {
    /** No graph rewrites. */
    NONE(OptLevel.NO_OPT),
    /** Constant folding and redundant-node removal. */
    BASIC(OptLevel.BASIC_OPT),
    /** {@link #BASIC} plus operator fusions (conv + activation, ...). */
    EXTENDED(OptLevel.EXTENDED_OPT),
    /** {@link #EXTENDED} plus layout optimisations. */
    LAYOUT(OptLevel.LAYOUT_OPT),
    /**
     * Everything, including the CPU NCHWc layout transformer, and on CPU the shifts moved into the
     * blocked layout, checked against {@link #ORT_ALL} when the model is loaded.
     */
    ALL(OptLevel.ALL_OPT),
    /** ONNX Runtime's highest level as it is: the shifts between layout conversions. */
    ORT_ALL(OptLevel.ALL_OPT);

    /** The level used when none is asked for. */
    public static final GraphOptimization DEFAULT = ALL;

    private final OptLevel level;

    GraphOptimization(OptLevel level) {
        this.level = level;
    }

    /** ONNX Runtime's constant for this level. */
    public OptLevel ortLevel() {
        return level;
    }

    /** The name used on the command line and in reports, e.g. {@code extended}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
