/**
 * The ONNX model of a TSAM net (SPEC §5): a small graph builder over the ONNX protobuf classes with
 * the opset in one place, the file's input, output and metadata contract, and the exporter.
 */
package io.tsam.exporter.onnx;
