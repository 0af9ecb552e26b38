/** Checks an exported ONNX model against the DJL net it came from, output by output. */
package io.tsam.exporter.verify;
