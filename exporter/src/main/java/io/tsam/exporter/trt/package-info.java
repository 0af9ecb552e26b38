/**
 * TensorRT engines from the exported ONNX model, through the JavaCPP TensorRT and CUDA presets: a
 * GPU probe that turns missing drivers or libraries into one line, the engine build (batch profile,
 * FP32/FP16/INT8 with entropy calibration on real clips, timing and calibration caches), the {@code
 * .plan} file with its JSON sidecar, and a small runner.
 *
 * <p>Ownership: every native object made here is closed with try-with-resources. Objects allocated
 * from Java (the logger, the calibrator, {@code Dims64}, GPU buffers, the CUDA stream) are freed
 * then. Objects that TensorRT returns (builder, network, parser, config, engine, context, host
 * memory) come with no deallocator in the JavaCPP 1.5.13 presets, and TensorRT 10 removed {@code
 * destroy()}; closing them drops the Java side only and the C++ objects live until the process
 * ends. That is bounded here: the exporter builds one engine per process and a runner lives as long
 * as its model.
 *
 * <p>Everything here that touches native code needs {@link
 * io.tsam.exporter.trt.GpuProbe#REQUIREMENT an NVIDIA GPU, a CUDA 13 driver and TensorRT 10.15};
 * the value types, the sidecar and the clip calibration source are plain Java. The GPU tests are
 * tagged {@code gpu} and excluded by default; on a GPU machine with TensorRT installed (or its
 * redistributable jars), run them with
 *
 * <pre>
 * mvn -B -pl exporter -am -Ptensorrt-redist -Dtsam.test.groups.excluded= \
 *     -Dtest='TensorRtExporterGpuTest,GpuProbeTest,TsamExportTargetsTest' \
 *     -Dsurefire.failIfNoSpecifiedTests=false test
 * </pre>
 *
 * (drop {@code -Ptensorrt-redist} when TensorRT 10.15 is installed system-wide).
 */
package io.tsam.exporter.trt;
