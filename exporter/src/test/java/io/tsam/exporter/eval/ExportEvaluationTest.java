package io.tsam.exporter.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.config.ClipAverage;
import io.tsam.config.DataConfig;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.config.ValidationConfig;
import io.tsam.config.VideoList;
import io.tsam.exporter.TestNets;
import io.tsam.exporter.eval.EvaluationReport.FailedVideo;
import io.tsam.exporter.onnx.TsamOnnxExporter;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import io.tsam.model.net.TsamNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation end to end on a synthetic data set (8 classes, one validation video each, 64x48, 1
 * s) with a ResNet-18 TSAM at 32x32, two test clips per video.
 */
class ExportEvaluationTest {

    private static final int CLASSES = 8;

    @TempDir static Path dir;

    private static NDManager manager;
    private static TsamConfig config;
    private static TsamNet net;
    private static OrtBackend model;
    private static DataConfig data;

    @BeforeAll
    static void exportAndGenerate() throws IOException {
        SyntheticDataset.generate(
                dir, SynthSpec.defaults().withPerClass(2).withSize(64, 48).withSeconds(1), i -> {});
        data = DataConfig.load(dir.resolve(SyntheticDataset.DATA_CONFIG));
        manager = NDManager.newBaseManager(Device.cpu());
        config =
                TestNets.config(
                                "resnet18",
                                2,
                                1,
                                new ShiftConfig(true, 8, 1, 1, 0, ShiftStyle.TSAM),
                                32)
                        .withModelValidation(new ValidationConfig(2, ClipAverage.PROBS));
        net = TestNets.net(manager, config, CLASSES, 5);
        byte[] onnx =
                TsamOnnxExporter.builder()
                        .setNet(net)
                        .setConfig(config)
                        .setCheckpointSha256("0".repeat(64))
                        .build()
                        .export()
                        .toByteArray();
        model =
                OrtBackend.builder()
                        .setModel(onnx, Path.of("model.onnx"))
                        .setEnvironment(OrtEnvironment.getEnvironment())
                        .optIntraOpThreads(2)
                        .build();
    }

    @AfterAll
    static void close() {
        model.close();
        manager.close();
    }

    @Test
    void theExportedModelScoresWhatTheNetScoresOnEveryValidationVideo() {
        VideoList videos = VideoList.read(data.valList());
        List<String> heard = new ArrayList<>();

        EvaluationReport report = evaluation(videos, new Recorder(heard)).run();

        assertEquals(CLASSES, report.videos());
        assertEquals(CLASSES, report.scored());
        assertEquals(2, report.clipsPerVideo());
        assertEquals(data.valList(), report.list());
        // The same clips through the same weights: any difference is the lowering's error.
        assertTrue(report.maxAbsLogitDifference() < 1e-4, report::table);
        assertEquals(CLASSES, report.agreeing(), report::table);
        assertEquals(report.djl().top1(), report.onnx().top1(), report::table);
        assertEquals(report.djl().top5(), report.onnx().top5(), report::table);
        assertEquals(8, heard.size());
        assertEquals("scored " + videos.entries().get(7).id() + " 8/8", heard.get(7));
    }

    @Test
    void aVideoThatCannotBeDecodedIsReportedSkippedAndCounted() throws IOException {
        String good = VideoList.read(data.valList()).entries().get(0).id();
        Files.writeString(dir.resolve("videos/corrupt.mp4"), "not a video at all");
        Files.writeString(dir.resolve("broken.txt"), good + " 0\nmissing 1\ncorrupt 2\n");
        VideoList videos = VideoList.read(dir.resolve("broken.txt"));
        List<String> heard = new ArrayList<>();

        EvaluationReport report = evaluation(videos, new Recorder(heard)).run();

        assertEquals(3, report.videos());
        assertEquals(1, report.scored());
        assertEquals(
                List.of("missing", "corrupt"),
                report.failed().stream().map(FailedVideo::id).toList());
        assertTrue(report.failed().get(0).reason().contains("no video for id 'missing'"));
        assertTrue(report.failed().get(1).reason().contains("corrupt.mp4"));
        assertEquals(
                List.of("scored " + good + " 1/3", "failed missing 2/3", "failed corrupt 3/3"),
                heard);
    }

    @Test
    void labelsOutsideTheNetsClassesAreRefusedBeforeAnyWork() throws IOException {
        Files.writeString(dir.resolve("labels9.txt"), "a 0\nb 8\n");
        VideoList videos = VideoList.read(dir.resolve("labels9.txt"));

        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> evaluation(videos, EvaluationListener.NONE));

        assertTrue(
                e.getMessage().contains("label 8 is out of range for 8 classes"), e.getMessage());
    }

    private static ExportEvaluation evaluation(VideoList videos, EvaluationListener listener) {
        return ExportEvaluation.builder()
                .setBackend(model)
                .setNet(net)
                .setConfig(config)
                .setData(data)
                .setVideos(videos)
                .optListener(listener)
                .build();
    }

    /** Writes down what it hears, one line per video. */
    private record Recorder(List<String> heard) implements EvaluationListener {
        @Override
        public void videoScored(String id, int done, int total) {
            heard.add("scored " + id + " " + done + "/" + total);
        }

        @Override
        public void videoFailed(FailedVideo video, int done, int total) {
            heard.add("failed " + video.id() + " " + done + "/" + total);
        }
    }
}
