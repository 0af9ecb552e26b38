/**
 * What executes a TSAM model: the {@link io.tsam.backend.InferenceBackend} seam, its ONNX Runtime
 * implementation and the execution-provider and optimisation settings.
 */
package io.tsam.backend;
