package io.tsam.exporter.cli;

import io.tsam.exporter.source.ExportSource;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options naming what to export: checkpoint, model file and label names. */
final class CheckpointOptions {

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "FILE",
            description = {
                "Weights to export: a native .safetensors checkpoint (with its .json sidecar), a"
                        + " TSM/TSAM .pth/.pt, or a .safetensors in the TSM layout."
            })
    Path checkpoint;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = {
                "Model file (JSON). Default: the native checkpoint's sidecar; required for"
                        + " PyTorch (.pth/.pt) files and for safetensors files without a sidecar."
            })
    Path config;

    @Option(
            names = "--labels",
            paramLabel = "FILE",
            description = {
                "Label-name file. Default: the native checkpoint's labels, else \"0\", \"1\", ..."
            })
    Path labels;

    /** Loads the checkpoint; the caller closes the source. */
    ExportSource load() {
        return ExportSource.load(
                checkpoint, Optional.ofNullable(config), Optional.ofNullable(labels));
    }
}
