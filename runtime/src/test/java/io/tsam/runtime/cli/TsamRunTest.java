package io.tsam.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsam.backend.OrtBackend;
import io.tsam.backend.RecordingBackend;
import io.tsam.backend.TinyModels;
import io.tsam.backend.tensorrt.TestEngines;
import io.tsam.config.ModelMetadata;
import io.tsam.media.audio.AudioImage;
import io.tsam.media.io.Npy;
import io.tsam.media.synth.SynthClass;
import io.tsam.media.video.TestVideos;
import io.tsam.runtime.SynthVideos;
import io.tsam.runtime.predict.Predictor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsamRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;
    private static Path videos;
    private static Path silent;
    private static Path notMedia;
    private static Path missing;

    @BeforeAll
    static void setUp() throws IOException {
        videos = SynthVideos.perClass(dir.resolve("synth"));
        silent = TestVideos.write(dir.resolve("silent.mp4"), TestVideos.Spec.mpeg4(), 10, 48, 32);
        notMedia = Files.writeString(dir.resolve("notes.mp4"), "not a video");
        missing = dir.resolve("missing.mp4");
    }

    private static Path video(SynthClass c) {
        return videos.resolve(c.videoId(0) + ".mp4");
    }

    @Test
    void predictPrintsTheTopClassesAndWhereTheTimeWent() {
        TsamRunCall r =
                TsamRunCall.run(
                        "predict",
                        video(SynthClass.GROWING_LOW),
                        video(SynthClass.SHRINKING_HIGH),
                        "--model",
                        TinyModels.tsam(),
                        "--topk",
                        3,
                        "--threads",
                        1,
                        "--ort-opt-level",
                        "extended");

        assertEquals(0, r.status(), r.err());
        assertEquals("", r.err());
        List<String> lines = r.outLines();
        assertTrue(
                lines.get(0)
                        .startsWith(
                                TinyModels.tsam()
                                        + ": resnet18 T=3 A=1 32x32, 8 classes, 1 clip per video;"
                                        + " ONNX Runtime"),
                lines.get(0));
        assertTrue(
                lines.get(0).endsWith("cpu, 1 intra-op threads, optimisation extended"),
                lines.get(0));
        assertEquals(video(SynthClass.GROWING_LOW) + "  (audio present, 1 clip)", lines.get(1));
        assertTrue(lines.get(2).startsWith("  1. "), lines.get(2));
        assertTrue(lines.get(4).startsWith("  3. "), lines.get(4));
        assertTrue(
                lines.get(5)
                        .matches(
                                "  time: decode [0-9.]+ ms, audio [0-9.]+ ms, inference [0-9.]+ ms,"
                                        + " total [0-9.]+ ms"),
                lines.get(5));
        assertEquals("2 of 2 videos classified", lines.get(lines.size() - 1));
    }

    @Test
    void latencySamplingIsSaidInTheHeaderAndTheJson() throws IOException {
        TsamRunCall json =
                TsamRunCall.run(
                        "predict",
                        video(SynthClass.GROWING_LOW),
                        "--model",
                        TinyModels.tsam(),
                        "--threads",
                        1,
                        "--sampling",
                        "latency",
                        "--json");
        assertEquals(0, json.status(), json.err());
        JsonNode prediction = JSON.readTree(json.outLines().get(0));
        assertEquals("latency", prediction.get("sampling").asText());
        TsamRunCall exact =
                TsamRunCall.run(
                        "predict",
                        video(SynthClass.GROWING_LOW),
                        "--model",
                        TinyModels.tsam(),
                        "--json");
        assertEquals(null, JSON.readTree(exact.outLines().get(0)).get("sampling"));
        TsamRunCall human =
                TsamRunCall.run(
                        "predict",
                        video(SynthClass.GROWING_LOW),
                        "--model",
                        TinyModels.tsam(),
                        "--sampling",
                        "latency");
        assertTrue(human.out().contains("per video, latency sampling;"), human.out());
    }

    @Test
    void predictOverTimeGivesOneLinePerWindowAndAChart() throws IOException {
        Path chart = dir.resolve("timeline.png");
        TsamRunCall json =
                TsamRunCall.run(
                        "predict",
                        video(SynthClass.GROWING_LOW),
                        "--model",
                        TinyModels.tsam(),
                        "--threads",
                        1,
                        "--window",
                        "500ms",
                        "--stride",
                        "0.25s",
                        "--json",
                        "--timeline",
                        chart);
        assertEquals(0, json.status(), json.err());
        List<String> lines = json.outLines();
        // 1 s: windows start at 0, 0.25 and 0.5.
        assertEquals(3, lines.size(), json.out());
        for (int k = 0; k < 3; k++) {
            JsonNode window = JSON.readTree(lines.get(k));
            assertEquals(video(SynthClass.GROWING_LOW).toString(), window.get("file").asText());
            assertEquals(k, window.get("window").asInt());
            assertEquals(0.25 * k, window.get("start").asDouble(), 1e-9);
            assertEquals(0.25 * k + 0.5, window.get("end").asDouble(), 1e-9);
            assertEquals(5, window.get("top").size());
            assertEquals("present", window.get("audio").asText());
        }
        byte[] png = Files.readAllBytes(chart);
        assertEquals('P', png[1]);
        assertEquals('N', png[2]);

        TsamRunCall human =
                TsamRunCall.run(
                        "predict",
                        video(SynthClass.GROWING_LOW),
                        "--model",
                        TinyModels.tsam(),
                        "--window",
                        "0.5",
                        "--topk",
                        2);
        assertEquals(0, human.status(), human.err());
        List<String> rows = human.outLines();
        assertTrue(rows.get(1).endsWith("(windows of 0.5 s every 0.25 s)"), rows.get(1));
        assertTrue(
                rows.get(3).matches("  +0\\.00 +0\\.50  [a-z_]+ [0-9.]+ [a-z_]+ [0-9.]+"),
                rows.get(3));
        assertTrue(rows.get(6).startsWith("  3 windows in "), rows.get(6));

        TsamRunCall noWindow =
                TsamRunCall.run(
                        "predict",
                        video(SynthClass.GROWING_LOW),
                        "--model",
                        TinyModels.tsam(),
                        "--stride",
                        "1s");
        assertEquals(3, noWindow.status(), noWindow.err());
        assertEquals("error: --stride needs --window", noWindow.err().strip());
        TsamRunCall badDuration =
                TsamRunCall.run(
                        "predict",
                        video(SynthClass.GROWING_LOW),
                        "--model",
                        TinyModels.tsam(),
                        "--window",
                        "4 days");
        assertTrue(badDuration.err().contains("'4 days' is not a duration"), badDuration.err());
    }

    @Test
    void jsonGivesOneObjectPerVideoAndFailuresDoNotStopTheOthers() throws IOException {
        TsamRunCall r =
                TsamRunCall.run(
                        "predict",
                        videos,
                        silent,
                        notMedia,
                        missing,
                        "--model",
                        TinyModels.tsam(),
                        "--json",
                        "--clips",
                        2);

        assertEquals(1, r.status(), "PARTIAL: some failed");
        assertEquals("", r.err());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.outLines()) {
            lines.add(JSON.readTree(line));
        }
        assertEquals(11, lines.size(), r.out());
        List<String> names =
                Arrays.stream(SynthClass.values())
                        .map(c -> c.videoId(0) + ".mp4")
                        .sorted()
                        .toList();
        for (int i = 0; i < 8; i++) {
            JsonNode line = lines.get(i);
            assertEquals(videos.resolve(names.get(i)).toString(), line.get("file").asText());
            assertEquals(5, line.get("top").size());
            double previous = 1;
            for (JsonNode top : line.get("top")) {
                assertTrue(top.get("label").isTextual());
                assertTrue(top.get("prob").asDouble() <= previous);
                previous = top.get("prob").asDouble();
            }
            assertEquals("present", line.get("audio").asText());
            assertEquals(2, line.get("clips").asInt());
            JsonNode timings = line.get("timings_ms");
            for (String key : List.of("decode", "audio", "inference", "total")) {
                assertTrue(timings.get(key).asDouble() > 0, key + " in " + line);
            }
        }
        assertEquals("missing", lines.get(8).get("audio").asText());
        assertEquals(notMedia.toString(), lines.get(9).get("file").asText());
        assertTrue(lines.get(9).get("error").asText().startsWith(notMedia + ": not a"));
        assertFalse(lines.get(9).has("top"));
        assertEquals(missing + ": no such file", lines.get(10).get("error").asText());
    }

    @Test
    void inHumanModeEachFailureIsOneLineOnStderr() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));

        TsamRunCall r =
                TsamRunCall.run(
                        "predict",
                        notMedia,
                        video(SynthClass.GROWING_LOW),
                        empty,
                        "--model",
                        TinyModels.videoOnly());

        assertEquals(1, r.status());
        assertEquals(2, r.errLines().size(), r.err());
        assertTrue(
                r.errLines().get(0).startsWith("error: " + empty + ": holds no video files (.mp4"),
                r.err());
        assertTrue(r.errLines().get(1).startsWith("error: " + notMedia + ": not a"), r.err());
        assertTrue(
                r.out().contains(video(SynthClass.GROWING_LOW) + "  (audio off, 1 clip)"), r.out());
        assertTrue(r.out().contains("1 of 2 videos classified"), r.out());
    }

    @Test
    void doctorReportsTheHostAndProvidersAndSmokeTestsTheModel() throws IOException {
        TsamRunCall json = TsamRunCall.run("doctor", "--json", "--model", TinyModels.tsam());
        assertEquals(0, json.status(), json.err());
        JsonNode report = new ObjectMapper().readTree(json.out());
        assertTrue(report.get("ok").asBoolean());
        assertTrue(report.get("host").get("cores").asInt() >= 1);
        assertTrue(report.get("host").get("simd").isArray());
        JsonNode cpu = report.get("providers").get(0);
        assertEquals("cpu", cpu.get("name").asText());
        assertEquals(0.0, cpu.get("smoke").get("max_abs_diff_vs_cpu").asDouble());
        assertEquals(1.0, cpu.get("smoke").get("top1_agreement").asDouble());
        List<String> names = new ArrayList<>();
        report.get("providers").forEach(p -> names.add(p.get("name").asText()));
        assertEquals(List.of("cpu", "cuda", "tensorrt", "tensorrt-engine"), names);

        TsamRunCall cuda = TsamRunCall.run("doctor", "--require", "cpu,cuda");
        assertEquals(3, cuda.status());
        assertTrue(cuda.out().contains("not ok: required cpu, cuda"), cuda.out());
        assertTrue(
                cuda.out().contains("cuda             no     not in this ONNX Runtime build"),
                cuda.out());

        TsamRunCall typo = TsamRunCall.run("doctor", "--require", "gpu");
        assertEquals(
                List.of("error: --require gpu: not one of cpu, cuda, tensorrt, tensorrt-engine"),
                typo.errLines());
    }

    @Test
    void unavailableProvidersAndEnginesFailWithOneLineAndNoFallback() throws IOException {
        TsamRunCall cuda =
                TsamRunCall.run(
                        "predict", silent, "--model", TinyModels.tsam(), "--provider", "cuda");
        assertEquals(3, cuda.status());
        assertEquals("", cuda.out());
        assertEquals(
                List.of(
                        "error: --provider cuda: this ONNX Runtime build has no CUDA execution"
                                + " provider (use the onnxruntime_gpu jar and a CUDA 12 driver)"),
                cuda.errLines());

        TsamRunCall tensorRt =
                TsamRunCall.run("bench", "--model", TinyModels.tsam(), "--provider", "tensorrt");
        assertEquals(3, tensorRt.status());
        assertEquals(1, tensorRt.errLines().size(), tensorRt.err());
        assertTrue(
                tensorRt.err()
                        .startsWith(
                                "error: --provider tensorrt: this ONNX Runtime build has no"
                                        + " TensorRT"));

        Path plan =
                TestEngines.write(
                        dir.resolve("model.plan"),
                        OrtBackend.readMetadata(
                                OrtEnvironment.getEnvironment(), TinyModels.tsam()));
        TsamRunCall engine = TsamRunCall.run("predict", silent, "--engine", plan);
        assertEquals(3, engine.status());
        assertEquals(1, engine.errLines().size(), engine.err());
        assertTrue(
                engine.err()
                        .startsWith(
                                "error: --engine " + plan + ": TensorRT engines cannot run here: "),
                engine.err());
        assertTrue(engine.err().contains("libnvinfer.so.10 not found"), engine.err());
        TsamRunCall both =
                TsamRunCall.run("predict", silent, "--model", TinyModels.tsam(), "--engine", plan);
        assertEquals(List.of("error: give either --model or --engine, not both"), both.errLines());

        TsamRunCall auto =
                TsamRunCall.run(
                        "predict",
                        silent,
                        "--model",
                        TinyModels.tsam(),
                        "--provider",
                        "auto",
                        "--json");
        assertEquals(0, auto.status(), auto.err());
        assertTrue(
                auto.err()
                        .startsWith(
                                "provider: auto picked cpu: this ONNX Runtime build has no CUDA"),
                auto.err());
        assertEquals(1, auto.outLines().size(), "stdout holds only the JSON line");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("predict", "preprocess", "bench")) {
            TsamRunCall r = TsamRunCall.run(command, "--help");
            assertEquals(0, r.status(), command);
            assertTrue(r.out().startsWith("Usage: tsam-run " + command), r.out());
        }
    }

    @Test
    void badOptionsAreOneLineErrors() {
        TsamRunCall topK =
                TsamRunCall.run("predict", silent, "--model", TinyModels.tsam(), "--topk", 0);
        assertEquals(3, topK.status());
        assertEquals(List.of("error: --topk must be >= 1, got 0"), topK.errLines());
        TsamRunCall threads =
                TsamRunCall.run("predict", silent, "--model", TinyModels.tsam(), "--threads", 0);
        assertEquals(List.of("error: --threads must be >= 1, got 0"), threads.errLines());
        TsamRunCall batch =
                TsamRunCall.run("bench", "--model", TinyModels.tsam(), "--batch", "1,0");
        assertEquals(List.of("error: --batch sizes must be >= 1, got 0"), batch.errLines());
        TsamRunCall model = TsamRunCall.run("predict", silent, "--model", missing);
        assertEquals(3, model.status());
        assertEquals(List.of("error: " + missing + ": no such file"), model.errLines());
        TsamRunCall notOnnx = TsamRunCall.run("predict", silent, "--model", notMedia);
        assertTrue(
                notOnnx.err().startsWith("error: " + notMedia + ": ONNX Runtime cannot load it"),
                notOnnx.err());
    }

    @Test
    void preprocessWritesBitForBitWhatPredictFeedsTheModel() throws IOException {
        Path video = video(SynthClass.RIGHT_TO_LEFT_HIGH);
        Path first = dir.resolve("pre-first");
        Path second = dir.resolve("pre-second");

        TsamRunCall r =
                TsamRunCall.run("preprocess", video, "--model", TinyModels.tsam(), "--out", first);
        TsamRunCall r2 =
                TsamRunCall.run(
                        "preprocess",
                        video,
                        "--model",
                        TinyModels.tsam(),
                        "--out",
                        second,
                        "--clip",
                        "1/3");

        assertEquals(0, r.status(), r.err());
        assertEquals(0, r2.status(), r2.err());
        try (OrtBackend ort =
                OrtBackend.builder()
                        .setModel(TinyModels.tsam())
                        .setEnvironment(OrtEnvironment.getEnvironment())
                        .build()) {
            ModelMetadata metadata = ModelMetadata.parse(ort.metadata(), ort.modelFile());
            RecordingBackend one = new RecordingBackend(ort);
            Predictor.builder().setBackend(one).setMetadata(metadata).build().predict(video);
            RecordingBackend three = new RecordingBackend(ort);
            Predictor.builder()
                    .setBackend(three)
                    .setMetadata(metadata)
                    .optClips(3)
                    .build()
                    .predict(video);

            Npy.Array fedVideo = Npy.read(first.resolve("video.npy"));
            Npy.Array fedAudio = Npy.read(first.resolve("audio.npy"));
            assertArrayEquals(new long[] {1, 3, 3, 32, 32}, fedVideo.shape());
            assertArrayEquals(new long[] {1, 3, 32, 32}, fedAudio.shape());
            assertBitsEqual(one.calls().get(0).values().get("video"), fedVideo.data());
            assertBitsEqual(one.calls().get(0).values().get("audio"), fedAudio.data());

            int clip = 3 * 3 * 32 * 32;
            float[] secondClip =
                    Arrays.copyOfRange(three.calls().get(0).values().get("video"), clip, 2 * clip);
            assertBitsEqual(secondClip, Npy.read(second.resolve("video.npy")).data());
        }
        for (String png : List.of("frames.png", "audio.png")) {
            BufferedImage image = ImageIO.read(first.resolve(png).toFile());
            assertEquals(32, image.getHeight(), png);
        }
        JsonNode summary = JSON.readTree(first.resolve("preprocess.json").toFile());
        assertEquals("present", summary.get("audio").asText());
        assertEquals(1, summary.get("clips").asInt());
        assertTrue(r.out().contains("clip 0/1 sampled"), r.out());
    }

    @Test
    void preprocessOfAFileWithoutAudioWritesSilenceAndSaysSo() throws IOException {
        Path out = dir.resolve("pre-silent");

        TsamRunCall r =
                TsamRunCall.run("preprocess", silent, "--model", TinyModels.tsam(), "--out", out);

        assertEquals(0, r.status(), r.err());
        assertBitsEqual(AudioImage.silence(32, 32), Npy.read(out.resolve("audio.npy")).data());
        assertEquals(
                "missing",
                JSON.readTree(out.resolve("preprocess.json").toFile()).get("audio").asText());
        assertTrue(r.out().contains("audio missing (no audio track"), r.out());
    }

    @Test
    void benchCompareRunsTheModelsSideBySideAgainstAMatMul() throws IOException {
        Path a = Files.copy(TinyModels.tsam(), dir.resolve("a.onnx"));
        Path b = Files.copy(TinyModels.tsam(), dir.resolve("b.onnx"));
        Path out = dir.resolve("compare");
        TsamRunCall r =
                TsamRunCall.run(
                        "bench",
                        "--compare",
                        a,
                        b + "@none",
                        "--rounds",
                        4,
                        "--gemm",
                        64,
                        "--threads",
                        1,
                        "--out",
                        out);
        assertEquals(0, r.status(), r.err());
        JsonNode report = JSON.readTree(out.resolve("compare.json").toFile());
        assertEquals(1, report.get("batch").asInt());
        assertEquals(4, report.get("rounds").asInt());
        assertEquals(2.0 * 64 * 64 * 64 / 1e9, report.get("gemm").get("gflop").asDouble(), 1e-12);
        JsonNode models = report.get("models");
        assertEquals(2, models.size());
        assertEquals("a.onnx", models.get(0).get("name").asText());
        assertEquals(1.0, models.get(0).get("ratio_to_first").asDouble());
        assertEquals(models.get(0).get("gflop").asDouble(), models.get(1).get("gflop").asDouble());
        assertTrue(models.get(0).get("gflop").asDouble() > 0, report.toString());
        assertEquals(4, models.get(1).get("samples_ms").size());
        assertEquals("b.onnx@none", models.get(1).get("name").asText());
        assertTrue(r.out().contains("optimisation none"), r.out());
        assertTrue(report.get("machine").get("simd").isArray());
        assertTrue(Files.size(out.resolve("compare.png")) > 1000);
        assertTrue(r.out().contains("MatMul 64³"), r.out());

        TsamRunCall withModel = TsamRunCall.run("bench", "--compare", a, b, "--model", a);
        assertEquals(
                "error: --compare takes the models itself; drop --model", withModel.err().strip());
        TsamRunCall badLevel = TsamRunCall.run("bench", "--compare", a, b + "@fastest");
        assertEquals(
                "error: --compare "
                        + b
                        + "@fastest: unknown optimisation level 'fastest'; one of [none, basic,"
                        + " extended, layout, all, ort_all]",
                badLevel.err().strip());
        TsamRunCall twoBatches = TsamRunCall.run("bench", "--compare", a, b, "--batch", "1,2");
        assertEquals(
                "error: --compare measures one batch size, got [1, 2]", twoBatches.err().strip());
    }

    @Test
    void benchWritesJsonAndChartsWithTheMachine() throws IOException {
        Path out = dir.resolve("bench");

        TsamRunCall r =
                TsamRunCall.run(
                        "bench",
                        "--model",
                        TinyModels.tsam(),
                        "--batch",
                        "1,2",
                        "--warmup",
                        1,
                        "--iters",
                        3,
                        "--threads",
                        1,
                        "--video",
                        video(SynthClass.LEFT_TO_RIGHT_LOW),
                        "--video-iters",
                        2,
                        "--out",
                        out);

        assertEquals(0, r.status(), r.err());
        JsonNode report = JSON.readTree(out.resolve("bench.json").toFile());
        assertEquals(8, report.get("model").get("classes").asInt());
        assertEquals(3, report.get("iterations").asInt());
        JsonNode machine = report.get("machine");
        assertEquals(
                OrtEnvironment.getEnvironment().getVersion(), machine.get("onnxruntime").asText());
        assertEquals("cpu", machine.get("provider").asText());
        assertTrue(machine.get("cores").asInt() >= 1);
        assertTrue(machine.get("gpus").isArray());
        assertFalse(machine.get("cpu").asText().isEmpty());
        JsonNode batches = report.get("batches");
        assertEquals(2, batches.size());
        for (int i = 0; i < 2; i++) {
            JsonNode batch = batches.get(i);
            assertEquals(i + 1, batch.get("batch").asInt());
            assertEquals(3, batch.get("samples_ms").size());
            JsonNode latency = batch.get("latency_ms");
            assertTrue(latency.get("p50").asDouble() > 0);
            assertTrue(latency.get("p50").asDouble() <= latency.get("p99").asDouble());
            assertTrue(latency.get("p99").asDouble() <= latency.get("max").asDouble());
            assertTrue(batch.get("clips_per_second").asDouble() > 0);
        }
        JsonNode e2e = report.get("end_to_end");
        assertEquals("present", e2e.get("audio").asText());
        assertEquals(2, e2e.get("decode_ms").get("count").asInt());
        assertTrue(
                e2e.get("total_ms").get("p50").asDouble()
                        >= e2e.get("inference_ms").get("p50").asDouble());
        for (String png : List.of("latency.png", "throughput.png")) {
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertEquals(800, image.getWidth(), png);
        }
        assertTrue(r.out().contains("end to end ("), r.out());
    }

    private static void assertBitsEqual(float[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
                throw new AssertionError(
                        "value " + i + ": " + expected[i] + " fed vs " + actual[i] + " written");
            }
        }
    }
}
