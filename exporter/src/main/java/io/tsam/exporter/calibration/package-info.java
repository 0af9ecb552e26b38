/**
 * Calibration inputs for INT8 models: real clips of a data file's validation list, through the
 * media pipeline exactly as the deployed model receives them. Used by TensorRT's entropy calibrator
 * and by the ONNX QDQ quantiser ({@link io.tsam.exporter.quantize}).
 */
package io.tsam.exporter.calibration;
