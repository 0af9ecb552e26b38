package io.tsam.backend.tensorrt;

/**
 * The GPU and the NVIDIA software an engine was built with; a serialised engine only runs on the
 * same GPU architecture with the same TensorRT version.
 *
 * @param name the device name, e.g. {@code NVIDIA H100 80GB HBM3}
 * @param computeMajor the major compute capability, e.g. 9
 * @param computeMinor the minor compute capability, e.g. 0
 * @param cudaDriverVersion the newest CUDA version the driver supports, e.g. {@code 13.0}
 * @param cudaRuntimeVersion the CUDA runtime's version, e.g. {@code 13.1}
 * @param tensorRtVersion the loaded TensorRT library's version, e.g. {@code 10.15.1.29}
 */
public record GpuInfo(
        String name,
        int computeMajor,
        int computeMinor,
        String cudaDriverVersion,
        String cudaRuntimeVersion,
        String tensorRtVersion) {

    /** The compute capability as {@code major.minor}, e.g. {@code 9.0}. */
    public String computeCapability() {
        return computeMajor + "." + computeMinor;
    }
}
