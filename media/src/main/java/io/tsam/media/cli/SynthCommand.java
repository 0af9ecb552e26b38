package io.tsam.media.cli;

import io.tsam.common.cli.ExitCode;
import io.tsam.common.cli.ProgressBars;
import io.tsam.media.synth.SynthClass;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SynthSummary;
import io.tsam.media.synth.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-data synth}: a synthetic dataset whose classes can only be told apart with temporal
 * order and with sound, to prove a model learns both.
 */
@Command(
        name = "synth",
        description = {
            "Write a synthetic dataset in the TSAM layout (videos/, training.txt, validation.txt,"
                    + " labels.txt, data.json): 8 classes = {left_to_right, right_to_left, growing,"
                    + " shrinking} x {low_tone, high_tone}, H.264 (or MPEG-4) + AAC .mp4 files."
                    + " With --sequence, one .mp4 (--out) showing the classes one after another,"
                    + " --seconds each, to try predict --window on."
        })
final class SynthCommand implements Callable<Integer> {
    private static final SynthSpec DEFAULTS = SynthSpec.defaults();

    @Option(
            names = "--out",
            required = true,
            description = "Output folder; with --sequence, the .mp4 file.")
    Path out;

    @Option(
            names = "--sequence",
            split = ",",
            paramLabel = "CLASS",
            description =
                    "Write one video of these classes in a row instead of a dataset, e.g."
                            + " growing_low,left_to_right_high.")
    List<String> sequence;

    @Option(
            names = "--per-class",
            description = "Videos per class; a quarter go to validation (default: 16).")
    Integer perClass;

    @Option(names = "--seed", description = "Random seed; same seed, same files (default: 0).")
    Long seed;

    @Option(
            names = "--size",
            converter = SizeConverter.class,
            description = "Frame size WxH, even numbers (default: 160x120).")
    FrameSize size;

    @Option(names = "--seconds", description = "Length of each video (default: 3.0).")
    Double seconds;

    @Option(names = "--fps", description = "Frame rate (default: 25).")
    Integer fps;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SynthSpec synth = DEFAULTS;
        if (perClass != null) {
            synth = synth.withPerClass(perClass);
        }
        if (seed != null) {
            synth = synth.withSeed(seed);
        }
        if (size != null) {
            synth = synth.withSize(size.width(), size.height());
        }
        if (seconds != null) {
            synth = synth.withSeconds(seconds);
        }
        if (fps != null) {
            synth = synth.withFps(fps);
        }
        if (sequence != null) {
            if (perClass != null) {
                throw new IllegalArgumentException("--per-class does not apply to --sequence");
            }
            List<SynthClass> classes = sequence.stream().map(SynthCommand::synthClass).toList();
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            SyntheticDataset.writeSequence(out, synth, classes);
            spec.commandLine()
                    .getOut()
                    .printf(
                            Locale.ROOT,
                            "wrote %s: %d classes of %.1f s each (%s)%n",
                            out,
                            classes.size(),
                            synth.seconds(),
                            String.join(", ", sequence));
            return ExitCode.OK;
        }
        SynthSummary summary;
        try (ProgressBar bar = ProgressBars.start("synth", 8L * synth.perClass(), "videos")) {
            summary = SyntheticDataset.generate(out, synth, bar::stepTo);
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "wrote %d videos (%d training, %d validation, %s) to %s in %.1f s%n"
                                + "data config: %s%n",
                        summary.videos(),
                        summary.trainingVideos(),
                        summary.validationVideos(),
                        summary.videoCodec(),
                        summary.outDir(),
                        summary.elapsedSeconds(),
                        summary.dataConfig());
        return ExitCode.OK;
    }

    private static SynthClass synthClass(String id) {
        for (SynthClass c : SynthClass.values()) {
            if (c.id().equals(id)) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                "--sequence: unknown class '"
                        + id
                        + "'; the classes are "
                        + Arrays.stream(SynthClass.values()).map(SynthClass::id).toList());
    }

    /** A frame size given as {@code WxH}. */
    record FrameSize(int width, int height) {}

    /** Parses {@code WxH}. */
    static final class SizeConverter implements ITypeConverter<FrameSize> {
        @Override
        public FrameSize convert(String value) {
            String[] parts = value.toLowerCase(Locale.ROOT).split("x");
            try {
                if (parts.length == 2) {
                    return new FrameSize(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
                }
            } catch (NumberFormatException e) {
                // reported below with the expected form
            }
            throw new IllegalArgumentException("expected WxH such as 160x120, got '" + value + "'");
        }
    }
}
