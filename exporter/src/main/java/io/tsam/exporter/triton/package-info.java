/**
 * Triton Inference Server model repositories for an exported TSAM model: {@code config.pbtxt},
 * {@code labels.txt} and version 1 as {@code model.onnx} or a TensorRT {@code model.plan}.
 */
package io.tsam.exporter.triton;
