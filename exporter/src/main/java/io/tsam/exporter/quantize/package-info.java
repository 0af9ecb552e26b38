/**
 * INT8 models for ONNX Runtime's CPU kernels: activation ranges calibrated on real clips ({@link
 * io.tsam.exporter.quantize.ActivationCalibration}), the float export rewritten as a QDQ model
 * ({@link io.tsam.exporter.quantize.QdqQuantizer}) and compared with it ({@link
 * io.tsam.exporter.quantize.QuantizationCheck}). The temporal shifts stay exact: they move uint8
 * values of one tensor, with one scale and zero point.
 */
package io.tsam.exporter.quantize;
