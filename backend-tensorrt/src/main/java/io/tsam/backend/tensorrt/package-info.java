/**
 * Serialised TensorRT engines as an {@link io.tsam.backend.InferenceBackend}, through the JavaCPP
 * TensorRT and CUDA presets: the {@code .plan} file and its JSON sidecar (which carries the TSAM
 * metadata), a GPU probe that turns a missing driver or library into one line, and {@link
 * io.tsam.backend.tensorrt.TensorRtBackend}, a pool of execution contexts registered with {@link
 * java.util.ServiceLoader} through {@link io.tsam.backend.tensorrt.TensorRtEngines}.
 *
 * <p>Nothing here loads a native library until an engine is opened or the probe runs, so the module
 * is on every runtime's class path; on a machine without NVIDIA software {@code --engine} says what
 * is missing. The NVIDIA libraries themselves come with {@code -Pgpu} (the {@code -redist} jars) or
 * a system install.
 */
package io.tsam.backend.tensorrt;
