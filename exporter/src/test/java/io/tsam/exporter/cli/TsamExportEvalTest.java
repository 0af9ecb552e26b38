package io.tsam.exporter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OrtEnvironment;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsam.backend.OrtBackend;
import io.tsam.common.cli.ExitCode;
import io.tsam.config.ClipAverage;
import io.tsam.config.DataConfig;
import io.tsam.config.LabelNames;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.config.ValidationConfig;
import io.tsam.exporter.TestNets;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import io.tsam.model.checkpoint.CheckpointInfo;
import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.model.checkpoint.NetWeights;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tsam-export --eval} on a synthetic data set and a checkpoint written here. */
class TsamExportEvalTest {

    private static final int CLASSES = 8;

    @TempDir static Path dir;

    private static NDManager manager;
    private static Path checkpoint;
    private static Path data;

    @BeforeAll
    static void writeDataAndCheckpoint() throws IOException {
        Path dataset = dir.resolve("synth");
        SyntheticDataset.generate(
                dataset,
                SynthSpec.defaults().withPerClass(2).withSize(64, 48).withSeconds(1),
                i -> {});
        data = dataset.resolve(SyntheticDataset.DATA_CONFIG);
        manager = NDManager.newBaseManager(Device.cpu());
        TsamConfig config =
                TestNets.config(
                                "resnet18",
                                2,
                                1,
                                new ShiftConfig(true, 8, 1, 1, 0, ShiftStyle.TSAM),
                                32)
                        .withModelValidation(new ValidationConfig(2, ClipAverage.PROBS));
        checkpoint = dir.resolve("run/epoch_1.safetensors");
        Files.createDirectories(checkpoint.getParent());
        CheckpointInfo info =
                CheckpointInfo.builder()
                        .setConfig(config)
                        .setLabels(LabelNames.read(dataset.resolve(SyntheticDataset.LABELS)))
                        .setEpoch(1)
                        .build();
        NativeCheckpoint.write(
                checkpoint,
                info,
                NetWeights.collect(TestNets.net(manager, config, CLASSES, 9)),
                Map.of());
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void theTableGoesToStdoutAndTheScoresNextToTheModel() throws IOException {
        Path out = dir.resolve("ok/model.onnx");

        Run run =
                run(
                        "--checkpoint",
                        checkpoint.toString(),
                        "--out",
                        out.toString(),
                        "--eval",
                        data.toString());

        assertEquals(ExitCode.OK, run.status, run::toString);
        assertEquals("", run.err);
        assertTrue(
                run.out.contains("8 of 8 videos scored, 2 clips each, 8 classes"), run::toString);
        assertTrue(run.out.contains("ONNX Runtime") && run.out.contains("drift"), run::toString);
        assertTrue(run.out.contains("top-1 agreement 100.00% (8 of 8 videos)"), run::toString);
        Path json = dir.resolve("ok/model.eval.json");
        assertTrue(run.out.contains("wrote " + json), run::toString);
        JsonNode scores = new ObjectMapper().readTree(json.toFile());
        assertEquals(out.toString(), scores.get("model").asText());
        assertEquals(NativeCheckpoint.sha256(checkpoint), scores.get("checkpoint_sha256").asText());
        assertEquals(8, scores.get("scored").asInt());
        assertEquals(5, scores.get("top_k").asInt());
        assertEquals(
                scores.get("djl").get("top1").asDouble(),
                scores.get("onnx").get("top1").asDouble());
        assertEquals(0.0, scores.get("drift").get("top1").asDouble());
        assertEquals(1.0, scores.get("top1_agreement").asDouble());
        assertTrue(scores.get("max_abs_logit_difference").asDouble() < 1e-4, scores::toString);
        assertEquals(0, scores.get("videos_outside_tolerance").asInt(), scores::toString);
        assertEquals(1e-3, scores.get("rtol").asDouble(), scores::toString);
        assertEquals(0, scores.get("failed").size());
    }

    @Test
    void quantizeWritesAnInt8ModelBesideTheFloatOneAndScoresItToo() throws IOException {
        Path out = dir.resolve("int8/model.onnx");

        Run run =
                run(
                        "--checkpoint",
                        checkpoint.toString(),
                        "--out",
                        out.toString(),
                        "--quantize",
                        "int8",
                        "--calib",
                        data.toString(),
                        "--calib-clips",
                        "4",
                        "--calib-method",
                        "minmax",
                        "--eval",
                        data.toString());

        assertEquals(ExitCode.OK, run.status, run::toString);
        assertEquals("", run.err);
        Path int8 = dir.resolve("int8/model.int8.onnx");
        assertTrue(
                run.out.contains("wrote " + int8 + " (")
                        && run.out.contains(
                                "int8 QDQ, 29 activation ranges (minmax over 4 clips);"
                                        + " int8 vs float on 8 clips: top-1 agreement"),
                run::toString);
        Map<String, String> metadata =
                OrtBackend.readMetadata(OrtEnvironment.getEnvironment(), int8);
        assertTrue(
                metadata.get("tsam.quantization").contains("min-max over 4 clips"),
                metadata::toString);
        assertEquals(
                OrtBackend.readMetadata(OrtEnvironment.getEnvironment(), out).get("tsam.labels"),
                metadata.get("tsam.labels"));
        JsonNode scores =
                new ObjectMapper().readTree(dir.resolve("int8/model.int8.eval.json").toFile());
        assertEquals(int8.toString(), scores.get("model").asText());
        assertEquals(8, scores.get("scored").asInt());
        assertTrue(Files.exists(dir.resolve("int8/model.eval.json")));
    }

    @Test
    void quantizeNeedsCalibrationDataAndItsOptionsNeedQuantize() {
        Run noData =
                run(
                        "--checkpoint", checkpoint.toString(),
                        "--out", dir.resolve("never/model.onnx").toString(),
                        "--quantize", "int8");
        assertEquals(ExitCode.BAD_INPUT, noData.status, noData::toString);
        assertEquals(
                "error: --quantize int8 needs --calib DATA: a data file whose validation list gives"
                        + " the calibration clips",
                noData.err.strip());
        Run noQuantize =
                run(
                        "--checkpoint", checkpoint.toString(),
                        "--out", dir.resolve("never/model.onnx").toString(),
                        "--calib-clips", "3");
        assertEquals(ExitCode.BAD_INPUT, noQuantize.status, noQuantize::toString);
        assertEquals(
                "error: --calib-clips and --calib-method only apply with --quantize int8",
                noQuantize.err.strip());
        Run calibAlone =
                run(
                        "--checkpoint", checkpoint.toString(),
                        "--out", dir.resolve("never/model.onnx").toString(),
                        "--calib", data.toString());
        assertEquals(ExitCode.BAD_INPUT, calibAlone.status, calibAlone::toString);
        assertEquals("error: --calib only applies with --tensorrt", calibAlone.err.strip());
        assertFalse(Files.exists(dir.resolve("never/model.onnx")));
    }

    @Test
    void undecodableVideosAreNamedSkippedCountedAndTheExitIsPartial() throws IOException {
        Path dataset = data.getParent();
        String good = Files.readAllLines(dataset.resolve(SyntheticDataset.VALIDATION_LIST)).get(0);
        Files.writeString(dataset.resolve("videos/broken.mp4"), "no moov atom here");
        Files.writeString(dataset.resolve("partial.txt"), good + "\nbroken 1\ngone 2\n");
        DataConfig synth = DataConfig.load(data);
        Path partialData = dataset.resolve("partial.json");
        Files.writeString(
                partialData,
                new DataConfig(
                                synth.baseDir(),
                                synth.dataDir(),
                                synth.dirVideos(),
                                synth.dirFrames(),
                                synth.dirAudios(),
                                synth.fileTrainList(),
                                "partial.txt",
                                synth.framesTmpl(),
                                Optional.empty())
                        .toJson());
        Path out = dir.resolve("partial/model.onnx");

        Run run =
                run(
                        "--checkpoint",
                        checkpoint.toString(),
                        "--out",
                        out.toString(),
                        "--no-verify",
                        "--eval",
                        partialData.toString());

        assertEquals(ExitCode.PARTIAL, run.status, run::toString);
        List<String> errors = run.err.strip().lines().toList();
        assertEquals(3, errors.size(), run::toString);
        assertTrue(errors.get(0).startsWith("error: video 'broken': "), run::toString);
        assertTrue(errors.get(0).contains("broken.mp4") && errors.get(0).endsWith("; skipped"));
        assertTrue(errors.get(1).startsWith("error: video 'gone': "), run::toString);
        assertEquals("error: 2 of 3 videos could not be decoded and were skipped", errors.get(2));
        assertTrue(Files.exists(out), "the model itself was exported and installed");
        JsonNode scores =
                new ObjectMapper().readTree(dir.resolve("partial/model.eval.json").toFile());
        assertEquals(3, scores.get("videos").asInt());
        assertEquals(1, scores.get("scored").asInt());
        assertEquals("broken", scores.get("failed").get(0).get("id").asText());
        assertEquals("gone", scores.get("failed").get(1).get("id").asText());
    }

    @Test
    void aMissingDataFileIsBadInputBeforeAnythingIsExported() {
        Path out = dir.resolve("never/model.onnx");

        Run run =
                run(
                        "--checkpoint", checkpoint.toString(),
                        "--out", out.toString(),
                        "--eval", dir.resolve("nowhere.json").toString());

        assertEquals(ExitCode.BAD_INPUT, run.status, run::toString);
        assertTrue(run.err.contains("nowhere.json"), run::toString);
        assertEquals(1, run.err.strip().lines().count(), run::toString);
        assertFalse(Files.exists(out));
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status =
                TsamExport.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }
}
