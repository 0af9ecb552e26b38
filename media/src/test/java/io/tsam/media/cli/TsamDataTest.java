package io.tsam.media.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsam.common.cli.CommandLines;
import io.tsam.common.cli.ExitCode;
import io.tsam.config.TsamConfig;
import io.tsam.media.io.Npy;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.media.video.VideoFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code tsam-data} as a user would, through picocli, on real files. */
class TsamDataTest {
    private static final String MODEL =
            """
            {"data_augmentation": {"scale_size": 40, "crop_size": 32, "flip": false},
             "model": {"video_segments": 3, "audio_segments": 1, "arch": "resnet18"},
             "shift_temporal": {"status": true, "f_div": 4, "shift_depth": 2}}
            """;

    @TempDir static Path dir;
    private static Path data;
    private static Path config;

    private record Run(int code, String out, String err) {}

    @BeforeAll
    static void synth() throws IOException {
        data = dir.resolve("synth");
        Run run =
                run(
                        "synth",
                        "--out",
                        data.toString(),
                        "--per-class",
                        "2",
                        "--size",
                        "64x48",
                        "--seconds",
                        "1",
                        "--seed",
                        "3");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("wrote 16 videos (8 training, 8 validation"), run.out());
        config = dir.resolve("model.json");
        Files.writeString(config, MODEL);
    }

    @Test
    void synthWritesTheTsamLayout() throws IOException {
        List<String> training = Files.readAllLines(data.resolve("training.txt"));
        assertEquals(8, training.size());
        assertTrue(training.get(0).matches("\\S+ [0-7]"), training.get(0));
        try (Stream<Path> videos = Files.list(data.resolve("videos"))) {
            assertEquals(16, videos.filter(p -> p.toString().endsWith(".mp4")).count());
        }
        assertEquals(8, Files.readAllLines(data.resolve("labels.txt")).size());
    }

    @Test
    void synthSequenceWritesOneVideoOfTheClassesInARow() {
        Path video = dir.resolve("sequences/two.mp4");
        Run run =
                run(
                        "synth",
                        "--sequence",
                        "growing_low,left_to_right_high",
                        "--seconds",
                        "1",
                        "--fps",
                        "12",
                        "--size",
                        "64x48",
                        "--out",
                        video.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(
                "wrote " + video + ": 2 classes of 1.0 s each (growing_low, left_to_right_high)",
                run.out().strip());
        try (VideoFile file = VideoFile.open(video)) {
            assertEquals(24, file.frameCount());
        }
        Run unknown = run("synth", "--sequence", "sideways", "--out", video.toString());
        assertEquals(ExitCode.BAD_INPUT, unknown.code());
        assertTrue(
                unknown.err().contains("--sequence: unknown class 'sideways'; the classes are"),
                unknown.err());
    }

    @Test
    void preprocessWritesExactlyWhatTheExtractorProduces() throws IOException {
        Path video = data.resolve("videos/growing_low_0000.mp4");
        Path out = dir.resolve("pre");
        Run run =
                run(
                        "preprocess",
                        video.toString(),
                        "--config",
                        config.toString(),
                        "--out",
                        out.toString(),
                        "--clip",
                        "1/2");
        assertEquals(0, run.code(), run.err());
        Npy.Array v = Npy.read(out.resolve("video.npy"));
        Npy.Array a = Npy.read(out.resolve("audio.npy"));
        assertArrayEquals(new long[] {1, 3, 3, 32, 32}, v.shape());
        assertArrayEquals(new long[] {1, 3, 32, 32}, a.shape());
        try (ClipExtractor clips =
                ClipExtractor.open(video, MediaConfig.of(TsamConfig.load(config)))) {
            ClipTensors expected = clips.testClip(1, 2);
            assertArrayEquals(expected.video(), v.data());
            assertArrayEquals(expected.audio(), a.data());
        }
        assertTrue(Files.size(out.resolve("frames.png")) > 0);
        assertTrue(Files.size(out.resolve("audio.png")) > 0);
        JsonNode summary = new ObjectMapper().readTree(out.resolve("preprocess.json").toFile());
        assertEquals("present", summary.get("audio").asText());
        assertEquals(3, summary.get("frame_indices").size());
        assertEquals(3, summary.get("config").get("model").get("video_segments").asInt());
    }

    @Test
    void framesExtractsJpegsAndWav() throws IOException {
        Run run =
                run(
                        "frames",
                        "--data",
                        data.resolve("data.json").toString(),
                        "--fps",
                        "10",
                        "--audio");
        assertEquals(0, run.code(), run.err());
        Path frames = data.resolve("frames/left_to_right_low_0000");
        try (Stream<Path> jpgs = Files.list(frames)) {
            assertEquals(10, jpgs.count(), "1 s at 10 fps");
        }
        assertTrue(Files.exists(frames.resolve("00001.jpg")));
        assertTrue(Files.size(data.resolve("audios/left_to_right_low_0000.wav")) > 16000 * 2);
    }

    @Test
    void corruptVideoIsOneLineNamingTheFile() throws IOException {
        Path bad = dir.resolve("corrupt.mp4");
        Files.writeString(bad, "this is not a video");
        Run run =
                run(
                        "preprocess",
                        bad.toString(),
                        "--config",
                        config.toString(),
                        "--out",
                        dir.resolve("bad").toString());
        assertEquals(ExitCode.BAD_INPUT, run.code());
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("corrupt.mp4"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void configErrorNamesFileAndKey() throws IOException {
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"model\": {\"video_segmnts\": 8}}");
        Run run =
                run(
                        "preprocess",
                        data.resolve("videos/growing_low_0000.mp4").toString(),
                        "--config",
                        broken.toString(),
                        "--out",
                        dir.resolve("x").toString());
        assertEquals(ExitCode.BAD_INPUT, run.code());
        assertTrue(run.err().contains("broken.json"), run.err());
        assertTrue(run.err().contains("video_segments"), run.err());
    }

    @Test
    void badClipIsAUsageError() {
        Run run =
                run(
                        "preprocess",
                        "x.mp4",
                        "--config",
                        config.toString(),
                        "--out",
                        "o",
                        "--clip",
                        "3/2");
        assertEquals(ExitCode.USAGE, run.code());
        assertTrue(run.err().contains("0 <= c < C"), run.err());
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                CommandLines.newCommandLine(
                                new TsamData(), new PrintWriter(out), new PrintWriter(err))
                        .execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
