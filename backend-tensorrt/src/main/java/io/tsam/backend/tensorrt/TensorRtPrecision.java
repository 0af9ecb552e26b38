package io.tsam.backend.tensorrt;

import java.util.Locale;

/**
 * The precision a TensorRT engine may compute in. TensorRT still picks per layer; these only widen
 * what it may pick from, so FP32 layers remain where they are faster or required.
 */
public enum TensorRtPrecision {
    /** 32-bit floats; TF32 tensor cores are turned off so the logits match ONNX Runtime's. */
    FP32,
    /** Half-precision layers allowed; needs a GPU with fast FP16. */
    FP16,
    /** 8-bit integer layers allowed, with scales from an entropy calibration on real clips. */
    INT8;

    /** The lower-case name used on the command line and in the engine's sidecar. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses a {@link #jsonName()}.
     *
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public static TensorRtPrecision fromJsonName(String name) {
        for (TensorRtPrecision precision : values()) {
            if (precision.jsonName().equals(name)) {
                return precision;
            }
        }
        throw new IllegalArgumentException(
                "unknown TensorRT precision '" + name + "'; expected fp32, fp16 or int8");
    }
}
