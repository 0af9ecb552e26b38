package io.tsam.media.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.FramesTemplate;
import io.tsam.config.TsamConfig;
import io.tsam.media.io.PreviewWriter;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.MediaConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-data preprocess}: writes exactly the tensors a model receives for one video, plus
 * pictures of them, to answer "what does the network actually see?".
 */
@Command(
        name = "preprocess",
        description = {
            "Write what the model sees for one video: video.npy [1,T,3,H,W], audio.npy [1,3,H,W]"
                    + " (when the model has audio), frames.png, audio.png and preprocess.json."
        })
final class PreprocessCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "VIDEO",
            description = "A video file, or a folder of extracted frames (see --frames-tmpl).")
    Path video;

    @Option(names = "--config", required = true, description = "TSAM model file (JSON).")
    Path config;

    @Option(names = "--out", required = true, description = "Output folder.")
    Path out;

    @Option(
            names = "--clip",
            defaultValue = "0/1",
            converter = ClipChoice.Converter.class,
            description = "Test clip c of C, 0-based (default: ${DEFAULT-VALUE}).")
    ClipChoice clip;

    @Option(
            names = "--frames-tmpl",
            defaultValue = "{:05d}.jpg",
            description = "Frame file names when VIDEO is a folder (default: ${DEFAULT-VALUE}).")
    String framesTemplate;

    @Option(
            names = "--audio",
            description = "Audio file to use when VIDEO is a folder of frames (default: silence).")
    Path audio;

    @Mixin AutorotateOption autorotate;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        TsamConfig model = autorotate.applyTo(TsamConfig.load(config));
        MediaConfig media = MediaConfig.of(model);
        int size = media.cropSize();
        int segments = media.videoSegments();
        try (ClipExtractor extractor = open(media)) {
            ClipTensors tensors = extractor.testClip(clip.clip(), clip.clips());
            PreviewWriter.writeClip(out, tensors, media);
            String audioState =
                    !media.audio() ? "off" : tensors.audioMissing() ? "missing" : "present";
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("input", video.toAbsolutePath().toString());
            summary.put("profile", media.profile().jsonName());
            summary.put("frames", extractor.frameCount());
            summary.put("clip", clip.clip());
            summary.put("clips", clip.clips());
            summary.put("frame_indices", tensors.frameIndices());
            summary.put("audio", audioState);
            summary.put("video_shape", new int[] {1, segments, 3, size, size});
            summary.put("frames_decoded", extractor.decodeStats().framesDecoded());
            summary.put("config", new ObjectMapper().readTree(model.toJson()));
            byte[] json =
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsBytes(summary);
            AtomicFile.write(out.resolve("preprocess.json"), json);

            PrintWriter o = spec.commandLine().getOut();
            o.printf(
                    "%s: %d frames, sampled %s, audio %s%n",
                    video,
                    extractor.frameCount(),
                    Arrays.toString(tensors.frameIndices()),
                    tensors.audioMissing()
                            ? "missing (no audio track; the audio segment is silence)"
                            : audioState);
            o.printf("wrote %s%n", out.toAbsolutePath());
        }
        return ExitCode.OK;
    }

    private ClipExtractor open(MediaConfig media) {
        if (Files.isDirectory(video)) {
            FramesTemplate names = FramesTemplate.parse(framesTemplate);
            return ClipExtractor.openFrames(
                    video, names::format, Optional.ofNullable(audio), media);
        }
        if (audio != null) {
            throw new IllegalArgumentException(
                    "--audio is only for a folder of frames; "
                            + video
                            + " is a file with its own"
                            + " audio track");
        }
        return ClipExtractor.open(video, media);
    }
}
