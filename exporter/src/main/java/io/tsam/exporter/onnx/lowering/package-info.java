/**
 * One {@code BlockLowering} per block type of the TSAM net, in an explicit registry: each turns a
 * block into ONNX nodes the way its DJL forward pass computes it.
 */
package io.tsam.exporter.onnx.lowering;
