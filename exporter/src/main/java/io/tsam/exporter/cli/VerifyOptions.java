package io.tsam.exporter.cli;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.source.ExportSource;
import io.tsam.exporter.verify.ParityCheck;
import io.tsam.exporter.verify.ParityInput;
import io.tsam.exporter.verify.ParityReport;
import io.tsam.exporter.verify.ShiftCheck;
import io.tsam.exporter.verify.Tolerance;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.MediaConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** The options of the check that the ONNX model computes what the checkpoint's net computes. */
final class VerifyOptions {

    /** The seed of the random inputs, fixed so that a report can be reproduced. */
    private static final long SEED = 1;

    @Option(
            names = "--verify",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = {
                "Run the ONNX model in ONNX Runtime and the net in DJL on the same inputs and"
                        + " compare the logits, and run every shift of the graph alone against"
                        + " the net's, which must match exactly (default: on). A model that fails"
                        + " is not"
                        + " installed but kept aside: model.onnx becomes model.rejected.onnx."
            })
    boolean enabled;

    @Option(
            names = "--atol",
            paramLabel = "ABS",
            description = {
                "Absolute part of the allowed logit difference: every logit passes when |onnx -"
                        + " net| <= atol + rtol * |net|, as numpy.allclose (default: "
                        + Tolerance.Defaults.ATOL
                        + ")."
            })
    double atol = Tolerance.FP32.atol();

    @Option(
            names = "--rtol",
            paramLabel = "REL",
            description = {
                "Relative part of the allowed logit difference (default: "
                        + Tolerance.Defaults.RTOL
                        + ")."
            })
    double rtol = Tolerance.FP32.rtol();

    @Option(
            names = "--verify-video",
            paramLabel = "FILE",
            description = {
                "Also compare on the test clip of this video, as the media pipeline builds it"
                        + " (repeatable; one batch of all of them)."
            })
    List<Path> videos = new ArrayList<>();

    /** Checks the values before any work. */
    void validate() {
        tolerance();
    }

    /** The rule the logits are judged by. */
    Tolerance tolerance() {
        return new Tolerance(atol, rtol);
    }

    /**
     * Compares the model with the source's net on random inputs and the given videos, running the
     * model as the runtime will: ONNX Runtime on the CPU, through the shared backend; then every
     * shift of the graph on its own.
     *
     * @param name what the model will be called once installed, for messages
     */
    ParityReport run(ExportSource source, ModelProto model, byte[] bytes, Path name) {
        TsamConfig config = source.config();
        int size = config.dataAugmentation().cropSize();
        List<ParityInput> inputs =
                new ArrayList<>(ParityInput.standard(config.model(), size, SEED));
        if (!videos.isEmpty()) {
            inputs.add(clips(config, size));
        }
        try (OrtBackend backend =
                OrtBackend.builder()
                        .setModel(bytes, name)
                        .setEnvironment(OrtEnvironment.getEnvironment())
                        .build()) {
            return ParityCheck.builder()
                    .setBackend(backend)
                    .setNet(source.net())
                    .setInputs(inputs)
                    .optTolerance(tolerance())
                    .build()
                    .run()
                    .withShifts(ShiftCheck.run(model, source.net(), SEED));
        }
    }

    private ParityInput clips(TsamConfig config, int size) {
        MediaConfig media = MediaConfig.of(config);
        List<ClipTensors> clips = new ArrayList<>();
        for (Path video : videos) {
            try (ClipExtractor extractor = ClipExtractor.open(video, media)) {
                clips.add(extractor.testClip(0, 1));
            }
        }
        String names =
                videos.stream()
                        .map(v -> v.getFileName().toString())
                        .collect(Collectors.joining(","));
        return ParityInput.clips("clips " + names, config.model(), size, clips);
    }
}
