/**
 * TensorRT engines from the exported ONNX model, through the JavaCPP TensorRT and CUDA presets: the
 * engine build (batch profile, FP32/FP16/INT8 with entropy calibration on real clips, timing and
 * calibration caches). The engine format (the {@code .plan} with its JSON sidecar), the GPU probe
 * and the runner live in the {@code tsam-backend-tensorrt} module ({@link
 * io.tsam.backend.tensorrt}).
 *
 * <p>Ownership: every native object made here is closed with try-with-resources. Objects allocated
 * from Java (the logger, the calibrator, {@code Dims64}, GPU buffers, the CUDA stream) are freed
 * then. Objects that TensorRT returns (builder, network, parser, config, engine, context, host
 * memory) come with no deallocator in the JavaCPP 1.5.13 presets, and TensorRT 10 removed {@code
 * destroy()}; closing them drops the Java side only and the C++ objects live until the process
 * ends. That is bounded here: the exporter builds one engine per process.
 *
 * <p>Everything here that touches native code needs {@link
 * io.tsam.backend.tensorrt.GpuProbe#REQUIREMENT an NVIDIA GPU, a CUDA 13 driver and TensorRT
 * 10.15}; the value types and the sidecar are plain Java (the clip calibration source is in {@link
 * io.tsam.exporter.calibration}). The GPU tests are tagged {@code gpu} and excluded by default; on
 * a GPU machine with TensorRT installed (or its redistributable jars), run them with
 *
 * <pre>
 * mvn -B -pl backend-tensorrt,exporter -am -Pgpu -Dtsam.test.groups.excluded= \
 *     -Dtest='TensorRtExporterGpuTest,GpuProbeTest,TensorRtBackendTest,TsamExportTargetsTest' \
 *     -Dsurefire.failIfNoSpecifiedTests=false test
 * </pre>
 *
 * (drop {@code -Pgpu} when TensorRT 10.15 is installed system-wide).
 */
package io.tsam.exporter.trt;
