/**
 * The one way to run a TSAM model: {@link io.tsam.backend.InferenceBackend} and its ONNX Runtime
 * implementation (CPU, CUDA and TensorRT execution providers), used by the runtime's predict, serve
 * and bench, the exporter's verification and {@code --eval}, and the benchmarks. Serialised engines
 * plug in through {@link io.tsam.backend.EngineBackendProvider}.
 */
package io.tsam.backend;
