/** The {@code tsam-export} command line: a checkpoint to a verified ONNX model. */
package io.tsam.exporter.cli;
