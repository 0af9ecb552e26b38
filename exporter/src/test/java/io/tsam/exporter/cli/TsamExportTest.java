package io.tsam.exporter.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.StringStringEntryProto;
import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.common.cli.ExitCode;
import io.tsam.config.ClipAverage;
import io.tsam.config.InputProfile;
import io.tsam.config.LabelNames;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.media.io.Npy;
import io.tsam.media.video.TestVideos;
import io.tsam.media.video.TestVideos.Spec;
import io.tsam.model.checkpoint.CheckpointInfo;
import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.model.checkpoint.NetWeights;
import io.tsam.model.checkpoint.Safetensors;
import io.tsam.model.net.TsamNet;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tsam-export} end to end on checkpoints written here and on a PyTorch-made fixture. */
class TsamExportTest {

    private static final String FIXTURE = "tsm_resnet18";
    private static final List<String> LABELS = List.of("cat", "dog", "bird");

    @TempDir static Path dir;

    private static NDManager manager;
    private static Path nativeCheckpoint;
    private static Path pth;
    private static Path fixtureConfig;

    @BeforeAll
    static void writeCheckpoints() throws IOException, URISyntaxException {
        manager = NDManager.newBaseManager(Device.cpu());
        TsamConfig config =
                TestNets.config(
                        "resnet18", 2, 1, new ShiftConfig(true, 8, 2, 2, 1, ShiftStyle.TSAM), 32);
        TsamNet net = TestNets.net(manager, config, LABELS.size(), 21);
        nativeCheckpoint = dir.resolve("native/epoch_3.safetensors");
        Files.createDirectories(nativeCheckpoint.getParent());
        CheckpointInfo info =
                CheckpointInfo.builder()
                        .setConfig(config)
                        .setLabels(new LabelNames(LABELS))
                        .setEpoch(3)
                        .build();
        NativeCheckpoint.write(nativeCheckpoint, info, NetWeights.collect(net), Map.of());

        pth = dir.resolve(FIXTURE + ".pth");
        try (InputStream in =
                new GZIPInputStream(Files.newInputStream(resource(FIXTURE + ".pth.gz")))) {
            Files.copy(in, pth);
        }
        fixtureConfig = resource(FIXTURE + ".json");
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @Test
    void aNativeCheckpointIsExportedVerifiedAndInstalled() throws Exception {
        Path out = dir.resolve("native/model.onnx");

        Run run = run("--checkpoint", nativeCheckpoint.toString(), "--out", out.toString());

        assertEquals(ExitCode.OK, run.status, run::toString);
        assertTrue(run.out.contains("verification passed"), run::toString);
        assertTrue(run.out.contains("random N=1 seed=1") && run.out.contains("random N=3 seed=2"));
        assertTrue(run.out.contains("wrote " + out + " ("), run::toString);
        assertTrue(
                run.out.contains("resnet18 T=2 A=1, 3 classes, 32x32, opset 17; "), run::toString);
        assertTrue(run.out.contains(" Conv") && run.out.contains("4 Gather"), run::toString);
        assertEquals("", run.err);
        Map<String, String> metadata = metadata(out);
        assertEquals("[\"cat\",\"dog\",\"bird\"]", metadata.get("tsam.labels"));
        assertEquals(
                NativeCheckpoint.sha256(nativeCheckpoint), metadata.get("tsam.checkpoint_sha256"));
        assertEquals(
                NativeCheckpoint.readInfo(nativeCheckpoint).config(),
                TsamConfig.parse(metadata.get("tsam.config"), null));
        assertFalse(Files.exists(dir.resolve("native/model.rejected.onnx")));
    }

    @Test
    void aCheckpointInTsamsNamingWithItsConfigLayoutExportsTheSameNetwork() throws Exception {
        // The native checkpoint's weights under the names TSAM's code saves
        // (nn_backbone.base_model.*, shifted convs conv1.layer, head last_fc), with a model file in
        // TSAM's own layout: the export must compute exactly what the native checkpoint's does.
        Path tsamNamed = dir.resolve("tsam-named/weights.safetensors");
        Files.createDirectories(tsamNamed.getParent());
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> renamed = new LinkedHashMap<>();
            NativeCheckpoint.readWeights(nativeCheckpoint, scope)
                    .forEach(
                            (name, array) ->
                                    renamed.put(
                                            name.startsWith("new_fc.")
                                                    ? "last_fc." + name.substring(7)
                                                    : "nn_backbone."
                                                            + name.replace(
                                                                    ".conv1.net.", ".conv1.layer."),
                                            array));
            Safetensors.write(tsamNamed, renamed);
        }
        Path config = dir.resolve("tsam-named/config.json");
        Files.writeString(
                config,
                "{\"help\": \"TSAM's layout\","
                        + " \"data_augmentation\": {\"video_image_param\":"
                        + " {\"input_size\": 32, \"output_size\": 32}},"
                        + " \"model\": {\"video_segments\": 2, \"audio_segments\": 1,"
                        + " \"arch\": \"resnet18\", \"pretrain\": \"imagenet\", \"dropout\": 0.5},"
                        + " \"shift_temporal\": {\"status\": true, \"f_div\": 8, \"shift_depth\": 2,"
                        + " \"n_insert\": 2, \"m_insert\": 1}}");
        Path tsamOut = dir.resolve("tsam-named/model.onnx");
        Path nativeOut = dir.resolve("tsam-named/native.onnx");

        Run run =
                run(
                        "--checkpoint", tsamNamed.toString(),
                        "--config", config.toString(),
                        "--out", tsamOut.toString());
        assertEquals(ExitCode.OK, run.status, run::toString);
        assertEquals(
                ExitCode.OK,
                run("--checkpoint", nativeCheckpoint.toString(), "--out", nativeOut.toString())
                        .status);

        // TSAM's config layout states TSAM's computation: nothing is left to the naming.
        assertFalse(run.out.contains("note:"), run::toString);
        assertTrue(run.out.contains("4 Gather") && !run.out.contains("Pad"), run::toString);
        TsamConfig exported = TsamConfig.parse(metadata(tsamOut).get("tsam.config"), null);
        assertEquals(ShiftStyle.TSAM, exported.shiftTemporal().style());
        assertEquals(InputProfile.TSAM, exported.dataAugmentation().profile());
        assertEquals(ClipAverage.LOGITS, exported.modelValidation().average());
        Random random = new Random(5);
        float[] video = new float[2 * 2 * 3 * 32 * 32];
        float[] audio = new float[2 * 3 * 32 * 32];
        for (int i = 0; i < video.length; i++) {
            video[i] = random.nextFloat();
        }
        for (int i = 0; i < audio.length; i++) {
            audio[i] = (float) random.nextGaussian();
        }
        assertArrayEquals(logits(nativeOut, video, audio), logits(tsamOut, video, audio), 1e-6f);
    }

    private static float[] logits(Path model, float[] video, float[] audio) {
        return logits(model, video, audio, 2);
    }

    private static float[] logits(Path model, float[] video, float[] audio, int batch) {
        try (OrtBackend backend =
                OrtBackend.builder()
                        .setModel(model)
                        .setEnvironment(OrtEnvironment.getEnvironment())
                        .build()) {
            return backend.run(
                    batch,
                    Map.of("video", FloatBuffer.wrap(video), "audio", FloatBuffer.wrap(audio)));
        }
    }

    @Test
    void theTestClipsOfRealVideosAreComparedToo() throws Exception {
        Path first = TestVideos.write(dir.resolve("a.mp4"), Spec.mpeg4().withAudio(), 20, 64, 48);
        Path second = TestVideos.write(dir.resolve("b.mp4"), Spec.mpeg4(), 12, 48, 64);
        Path out = dir.resolve("clips/model.onnx");

        Run run =
                run(
                        "--checkpoint", nativeCheckpoint.toString(),
                        "--verify-video", first.toString(),
                        "--verify-video", second.toString(),
                        "--out", out.toString());

        assertEquals(ExitCode.OK, run.status, run::toString);
        String clips =
                run.out
                        .lines()
                        .filter(l -> l.startsWith("clips a.mp4,b.mp4"))
                        .findFirst()
                        .orElseThrow();
        assertTrue(clips.contains("[2, 3]") && clips.endsWith("pass"), run::toString);
    }

    @Test
    void aPthCheckpointExportsToWhatPyTorchComputes() throws Exception {
        Path out = dir.resolve("pth/model.onnx");

        Run run =
                run(
                        "--checkpoint", pth.toString(),
                        "--config", fixtureConfig.toString(),
                        "--out", out.toString());

        assertEquals(ExitCode.OK, run.status, run::toString);
        assertEquals("[\"0\",\"1\",\"2\"]", metadata(out).get("tsam.labels"));
        // The model file states no style: TSM's naming (new_fc) means TSM's rules, and it says so.
        assertTrue(
                run.out.contains(
                        "note: TSM-layout checkpoint: shift style tsm, clips averaged by probs,"
                                + " input profile imagenet (TSM's rules)"),
                run::toString);
        assertTrue(metadata(out).get("tsam.config").contains("\"style\": \"tsm\""), run::toString);
        Npy.Array video = Npy.read(resource(FIXTURE + ".video.npy"));
        Npy.Array audio = Npy.read(resource(FIXTURE + ".audio.npy"));
        float[] expected = Npy.read(resource(FIXTURE + ".logits.npy")).data();
        float[] actual = logits(out, video.data(), audio.data(), (int) video.shape()[0]);
        // Measured: 5.7e-6 against PyTorch 1.13 on logits of up to 7.8.
        assertArrayEquals(expected, actual, 1e-4f);
    }

    @Test
    void aSafetensorsFileInTheTsmLayoutNeedsItsModelFile() throws Exception {
        Path plain = dir.resolve("plain/weights.safetensors");
        Files.createDirectories(plain.getParent());
        Files.copy(nativeCheckpoint, plain);
        Path out = dir.resolve("plain/model.onnx");
        Path configFile = dir.resolve("plain/model.json");
        Files.writeString(
                configFile, NativeCheckpoint.readInfo(nativeCheckpoint).config().toJson());
        Path labels = dir.resolve("plain/labels.txt");
        Files.writeString(labels, "walk\nrun\nswim\n");

        Run without = run("--checkpoint", plain.toString(), "--out", out.toString());
        Run with =
                run(
                        "--checkpoint",
                        plain.toString(),
                        "--config",
                        configFile.toString(),
                        "--labels",
                        labels.toString(),
                        "--no-verify",
                        "--out",
                        out.toString());

        assertEquals(ExitCode.BAD_INPUT, without.status, without::toString);
        assertTrue(without.err.contains("carries no model config"), without::toString);
        assertTrue(without.err.contains("--config"), without::toString);
        assertEquals(1, without.err.strip().lines().count(), without::toString);
        assertEquals(ExitCode.OK, with.status, with::toString);
        assertFalse(with.out.contains("verification"), with::toString);
        assertEquals("[\"walk\",\"run\",\"swim\"]", metadata(out).get("tsam.labels"));
    }

    @Test
    void aPthWithoutConfigOrWithTheWrongLabelsIsRefusedInOneLine() throws IOException {
        Path out = dir.resolve("refused/model.onnx");
        Path labels = dir.resolve("refused-labels.txt");

        Files.writeString(labels, "a\nb\n");
        Run noConfig = run("--checkpoint", pth.toString(), "--out", out.toString());
        Run wrongLabels =
                run(
                        "--checkpoint", pth.toString(),
                        "--config", fixtureConfig.toString(),
                        "--labels", labels.toString(),
                        "--out", out.toString());

        assertEquals(ExitCode.BAD_INPUT, noConfig.status, noConfig::toString);
        assertEquals(
                "error: "
                        + pth
                        + ": carries no model config (only a native checkpoint does, in its"
                        + " sidecar "
                        + FIXTURE
                        + ".json); give the model file with --config",
                noConfig.err.strip());
        assertEquals(ExitCode.BAD_INPUT, wrongLabels.status, wrongLabels::toString);
        assertTrue(
                wrongLabels.err.contains("has 2 label names but the checkpoint's head"),
                wrongLabels::toString);
        assertFalse(Files.exists(out));
    }

    @Test
    void aModelThatFailsVerificationIsKeptAsideNotInstalled() throws Exception {
        Path out = dir.resolve("strict/model.onnx");
        Files.createDirectories(out.getParent());
        Files.writeString(out, "the previous model");

        Run run =
                run(
                        "--checkpoint",
                        nativeCheckpoint.toString(),
                        "--atol",
                        "0",
                        "--rtol",
                        "0",
                        "--out",
                        out.toString());

        assertEquals(ExportExitCode.VERIFICATION_FAILED, run.status, run::toString);
        assertTrue(
                run.out.contains("FAIL") && run.out.contains("verification FAILED"), run::toString);
        assertTrue(run.err.contains("model.rejected.onnx"), run::toString);
        assertEquals("the previous model", Files.readString(out));
        Path rejected = dir.resolve("strict/model.rejected.onnx");
        assertTrue(metadata(rejected).containsKey("tsam.labels"));
    }

    @Test
    void aNegativeToleranceIsBadInput() {
        Run run =
                run(
                        "--checkpoint", nativeCheckpoint.toString(),
                        "--rtol", "-1",
                        "--out", dir.resolve("never.onnx").toString());

        assertEquals(ExitCode.BAD_INPUT, run.status, run::toString);
        assertTrue(
                run.err.contains("--rtol must be a finite number >= 0, got -1.0"), run::toString);
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status =
                TsamExport.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                        .execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    private static Map<String, String> metadata(Path file) throws IOException {
        ModelProto model = ModelProto.parseFrom(Files.readAllBytes(file));
        Map<String, String> metadata = new LinkedHashMap<>();
        for (StringStringEntryProto entry : model.getMetadataPropsList()) {
            metadata.put(entry.getKey(), entry.getValue());
        }
        return metadata;
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(TsamExportTest.class.getResource(name).toURI());
    }

    private record Run(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }
}
