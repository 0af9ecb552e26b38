package io.tsam.exporter.cli;

import io.tsam.config.InputProfile;
import io.tsam.config.ShiftStyle;
import io.tsam.exporter.source.ExportSource;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The options naming what to export: checkpoint, model file and label names. */
final class CheckpointOptions {

    @Option(
            names = "--checkpoint",
            required = true,
            paramLabel = "FILE",
            description = {
                "Weights to export: a native .safetensors checkpoint (with its .json sidecar), a"
                        + " .pth/.pt saved by TSM's or TSAM's code, or a .safetensors in the TSM"
                        + " layout."
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

    @Option(
            names = "--shift-style",
            paramLabel = "tsam|tsm",
            converter = ShiftStyleConverter.class,
            description = {
                "The temporal shift's layout and edge rule. Default: the model file's"
                        + " shift_temporal.style, else by the checkpoint's naming (TSM's new_fc:"
                        + " tsm; TSAM's last_fc: tsam)."
            })
    ShiftStyle shiftStyle;

    @Option(
            names = "--input-profile",
            paramLabel = "tsam|imagenet",
            converter = InputProfileConverter.class,
            description = {
                "How inputs are computed (SPEC §2). Default: the model file's"
                        + " data_augmentation.profile, else by the checkpoint's naming (TSM's:"
                        + " imagenet; TSAM's: tsam)."
            })
    InputProfile inputProfile;

    /** Loads the checkpoint; the caller closes the source. */
    ExportSource load() {
        return ExportSource.load(
                checkpoint,
                Optional.ofNullable(config),
                Optional.ofNullable(labels),
                new ExportSource.Overrides(
                        Optional.ofNullable(shiftStyle), Optional.ofNullable(inputProfile)));
    }

    /** Reads a style by its config-file name. */
    static final class ShiftStyleConverter implements ITypeConverter<ShiftStyle> {
        @Override
        public ShiftStyle convert(String value) {
            return byName(value, ShiftStyle.values(), ShiftStyle::jsonName);
        }
    }

    /** Reads a profile by its config-file name. */
    static final class InputProfileConverter implements ITypeConverter<InputProfile> {
        @Override
        public InputProfile convert(String value) {
            return byName(value, InputProfile.values(), InputProfile::jsonName);
        }
    }

    private static <E> E byName(String value, E[] values, Function<E, String> name) {
        for (E candidate : values) {
            if (name.apply(candidate).equals(value)) {
                return candidate;
            }
        }
        throw new TypeConversionException(
                "expected one of "
                        + Arrays.stream(values).map(name).collect(Collectors.joining(", "))
                        + ", got '"
                        + value
                        + "'");
    }
}
