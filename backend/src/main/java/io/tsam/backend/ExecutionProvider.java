package io.tsam.backend;

import java.util.Locale;

/** Which ONNX Runtime execution provider runs the model. */
public enum ExecutionProvider {
    /** ONNX Runtime's CPU kernels; the default, in every build. */
    CPU,
    /** NVIDIA GPUs through CUDA; needs the {@code onnxruntime_gpu} build and a CUDA 12 driver. */
    CUDA,
    /**
     * NVIDIA TensorRT, with CUDA for the nodes TensorRT does not take; needs the {@code
     * onnxruntime_gpu} build, a CUDA 12 driver and the TensorRT 10 libraries.
     */
    TENSORRT,
    /** CUDA when this build and machine can run it, else CPU; the choice is reported. */
    AUTO;

    /** The name used on the command line and in reports, e.g. {@code cuda}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
