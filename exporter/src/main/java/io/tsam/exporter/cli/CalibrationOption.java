package io.tsam.exporter.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The calibration data of the INT8 steps, {@code --quantize int8} and {@code --tensorrt int8}. */
final class CalibrationOption {

    @Option(
            names = "--calib",
            paramLabel = "DATA",
            description = {
                "int8 (--quantize or --tensorrt): a data file (JSON) whose validation list gives the"
                        + " calibration clips, built by the media pipeline as at test time."
            })
    Path data;
}
