package io.tsam.runtime.cli;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.tsam.backend.OrtBackend;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.ModelMetadata;
import io.tsam.media.cli.ClipChoice;
import io.tsam.media.io.PreviewWriter;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.runtime.predict.AudioState;
import io.tsam.runtime.predict.PreparedVideo;
import io.tsam.runtime.predict.Preprocessor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-run preprocess}: writes the tensors an exported model receives for one video, built
 * by the same {@link Preprocessor} that {@code predict} feeds the model from.
 */
@Command(
        name = "preprocess",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Write what an exported model receives for one video: video.npy [1,T,3,H,W],"
                    + " audio.npy [1,3,H,W] (when the model has audio), frames.png, audio.png and"
                    + " preprocess.json."
        })
final class PreprocessCommand implements Callable<Integer> {

    @Parameters(paramLabel = "VIDEO", description = "A video file.")
    Path video;

    @Option(
            names = "--model",
            required = true,
            paramLabel = "FILE",
            description = "The exported model (.onnx) whose metadata says how to preprocess.")
    Path model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder.")
    Path out;

    @Option(
            names = "--clip",
            paramLabel = "c/C",
            converter = ClipChoice.Converter.class,
            description =
                    "Test clip c of C, 0-based (default: 0/C with C the model's"
                            + " model_validation.num_clips, the first clip predict runs).")
    ClipChoice clip;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        ModelMetadata metadata =
                ModelMetadata.parse(OrtBackend.readMetadata(environment, model), model);
        Preprocessor preprocessor = Preprocessor.of(metadata, model);
        ClipChoice chosen =
                clip != null
                        ? clip
                        : new ClipChoice(0, metadata.config().modelValidation().numClips());
        PreparedVideo prepared = preprocessor.prepareClip(video, chosen.clip(), chosen.clips());
        ClipTensors tensors = prepared.clips().get(0);
        MediaConfig media = preprocessor.media();
        int size = media.cropSize();
        int segments = media.videoSegments();
        PreviewWriter.writeClip(out, tensors, media);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("input", video.toAbsolutePath().toString());
        summary.put("model", model.toAbsolutePath().toString());
        summary.put("profile", media.profile().jsonName());
        summary.put("shift_style", metadata.config().shiftTemporal().style().jsonName());
        summary.put("clip_average", metadata.config().modelValidation().average().jsonName());
        summary.put("frames", prepared.frames());
        summary.put("clip", chosen.clip());
        summary.put("clips", chosen.clips());
        summary.put("frame_indices", tensors.frameIndices());
        summary.put("audio", prepared.audio().jsonName());
        summary.put("video_shape", new int[] {1, segments, 3, size, size});
        if (tensors.audio() != null) {
            summary.put("audio_shape", new int[] {1, 3, size, size});
        }
        ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        AtomicFile.write(out.resolve("preprocess.json"), json.writeValueAsBytes(summary));

        PrintWriter o = spec.commandLine().getOut();
        o.printf(
                "%s: %s profile, %d frames, clip %d/%d sampled %s, audio %s%n",
                video,
                media.profile().jsonName(),
                prepared.frames(),
                chosen.clip(),
                chosen.clips(),
                Arrays.toString(tensors.frameIndices()),
                prepared.audio() == AudioState.MISSING
                        ? "missing (no audio track; the audio segment is silence)"
                        : prepared.audio().jsonName());
        o.printf("wrote %s%n", out.toAbsolutePath());
        o.flush();
        return ExitCode.OK;
    }
}
