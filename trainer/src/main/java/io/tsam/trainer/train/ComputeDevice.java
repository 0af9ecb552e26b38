package io.tsam.trainer.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** Turns the {@code --device} value into the one DJL device a run uses. */
public final class ComputeDevice {
    private ComputeDevice() {}

    /**
     * Parses {@code cpu}, {@code gpu}, {@code gpu:N} or a TSAM-style GPU list such as {@code 0}.
     *
     * @throws IllegalArgumentException if the value is malformed, names several GPUs, or names a
     *     GPU that libtorch cannot see
     */
    public static Device parse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("cpu")) {
            return Device.cpu();
        }
        int gpu;
        if (v.equals("gpu") || v.equals("cuda")) {
            gpu = 0;
        } else if (v.matches("(gpu|cuda):\\d+")) {
            gpu = Integer.parseInt(v.substring(v.indexOf(':') + 1));
        } else if (v.matches("\\d+")) {
            gpu = Integer.parseInt(v);
        } else if (v.matches("\\d+(,\\d+)+")) {
            throw new IllegalArgumentException(
                    "--device "
                            + value
                            + ": training on several GPUs at once is not supported; name one GPU,"
                            + " e.g. --device gpu:0");
        } else {
            throw new IllegalArgumentException(
                    "--device '" + value + "' is not one of cpu, gpu, gpu:N or a GPU index");
        }
        int visible = Engine.getInstance().getGpuCount();
        if (gpu >= visible) {
            throw new IllegalArgumentException(
                    "--device "
                            + value
                            + ": libtorch sees "
                            + visible
                            + " CUDA GPU(s)"
                            + (visible == 0
                                    ? " (this build ships the CPU libtorch; use --device cpu)"
                                    : ""));
        }
        return Device.gpu(gpu);
    }
}
