package io.tsam.backend;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import java.util.Locale;

/**
 * ONNX Runtime's graph optimisation level for a session.
 *
 * <p>{@link #DEFAULT} is {@link #ALL}. Whether {@link #EXTENDED} is faster for shifted models is
 * being measured: at {@link #ALL} the NCHWc layout transformer converts the convolutions and adds
 * layout reorders around each shift's {@code Gather}, which may cost more than it saves.
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
    /** Everything, including the CPU NCHWc layout transformer. */
    ALL(OptLevel.ALL_OPT);

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
