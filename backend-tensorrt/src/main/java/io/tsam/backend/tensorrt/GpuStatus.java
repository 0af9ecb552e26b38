package io.tsam.backend.tensorrt;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether TensorRT engines can be built and run here: the GPU found, or the one-line reason there
 * is none.
 *
 * @param gpu the GPU engines are built for, when everything needed was found
 * @param problem empty when {@code gpu} is present; otherwise why not, one line, naming what is
 *     missing and how to get it
 */
public record GpuStatus(Optional<GpuInfo> gpu, String problem) {

    /** Checks that exactly one of the two is given. */
    public GpuStatus {
        Objects.requireNonNull(gpu, "gpu");
        Objects.requireNonNull(problem, "problem");
        if (gpu.isPresent() == !problem.isEmpty()) {
            throw new IllegalArgumentException(
                    "a GPU status holds a GPU or a problem, not "
                            + (gpu.isPresent() ? "both" : "neither"));
        }
    }

    /** A usable GPU. */
    public static GpuStatus available(GpuInfo gpu) {
        return new GpuStatus(Optional.of(gpu), "");
    }

    /** No usable GPU, for the given one-line reason. */
    public static GpuStatus unavailable(String problem) {
        return new GpuStatus(Optional.empty(), problem);
    }

    /** Whether engines can be built and run. */
    public boolean available() {
        return gpu.isPresent();
    }
}
