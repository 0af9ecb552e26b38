/**
 * Scoring an exported model in ONNX Runtime and the net it came from in DJL on a validation list:
 * accuracy of both, their drift and how often they agree.
 */
package io.tsam.exporter.eval;
