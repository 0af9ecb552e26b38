package io.tsam.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.config.ClipAverage;
import io.tsam.config.InputProfile;
import io.tsam.config.LabelNames;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    private static Map<String, NDArray> weights(NDManager scope, int classes) {
        Map<String, NDArray> weights = new LinkedHashMap<>();
        weights.put("base_model.conv1.weight", scope.randomNormal(new Shape(2, 3, 1, 1)));
        weights.put("base_model.bn1.weight", scope.create(new float[] {1f, 2f}));
        weights.put("base_model.bn1.bias", scope.create(new float[] {0.5f, -0.5f}));
        weights.put("base_model.bn1.running_mean", scope.create(new float[] {0.1f, 0.2f}));
        weights.put("base_model.bn1.running_var", scope.create(new float[] {1.1f, 1.2f}));
        weights.put("new_fc.weight", scope.randomNormal(new Shape(classes, 2)));
        weights.put("new_fc.bias", scope.zeros(new Shape(classes)));
        return weights;
    }

    private static CheckpointInfo info() {
        ObjectNode state = JSON.createObjectNode().put("step", 1234).put("seed", 42);
        return CheckpointInfo.builder()
                .setConfig(TsamConfig.defaults())
                .setLabels(new LabelNames(List.of("walk", "run", "jump")))
                .setEpoch(7)
                .optMetrics(Map.of("top1", 0.5))
                .optTrainerState(state)
                .build();
    }

    private static List<String> files(Path dir) throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void roundTripsWeightsOptimizerStateAndSidecar(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("best.safetensors");
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> weights = weights(scope, 3);
            Map<String, NDArray> optimizer = new LinkedHashMap<>();
            optimizer.put("momentum.new_fc.weight", scope.ones(new Shape(3, 2)));
            optimizer.put("step", scope.create(1234L));
            NativeCheckpoint.write(file, info(), weights, optimizer);

            assertEquals(
                    List.of("best.json", "best.optim.safetensors", "best.safetensors"), files(dir));
            assertEquals(info(), NativeCheckpoint.readInfo(file));
            assertEquals(3, NativeCheckpoint.readInfo(file).classes());

            Map<String, NDArray> read = NativeCheckpoint.readWeights(file, scope);
            List<String> names = new ArrayList<>(weights.keySet());
            // torch's order: the counter follows its BatchNorm's running_var.
            names.add(5, "base_model.bn1.num_batches_tracked");
            assertEquals(names, new ArrayList<>(read.keySet()));
            for (Map.Entry<String, NDArray> entry : weights.entrySet()) {
                NDArray back = read.get(entry.getKey());
                assertEquals(entry.getValue().getShape(), back.getShape(), entry.getKey());
                assertArrayEquals(entry.getValue().toFloatArray(), back.toFloatArray(), 0f);
            }
            NDArray counter = read.get("base_model.bn1.num_batches_tracked");
            assertEquals(DataType.INT64, counter.getDataType());
            assertEquals(new Shape(), counter.getShape());
            assertEquals(0L, counter.getLong());

            Map<String, NDArray> state =
                    NativeCheckpoint.readOptimizerState(file, scope).orElseThrow();
            assertEquals(
                    List.of("momentum.new_fc.weight", "step"), new ArrayList<>(state.keySet()));
            assertEquals(1234L, state.get("step").getLong());
            assertArrayEquals(
                    new float[] {1, 1, 1, 1, 1, 1},
                    state.get("momentum.new_fc.weight").toFloatArray(),
                    0f);
        }
        JsonNode sidecar = JSON.readTree(dir.resolve("best.json").toFile());
        assertEquals("tsam-checkpoint", sidecar.get("format").asText());
        assertEquals(NativeCheckpoint.FORMAT_VERSION, sidecar.get("format_version").asInt());
        assertEquals(NativeCheckpoint.sha256(file), sidecar.get("weights_sha256").asText());
        assertEquals("best.optim.safetensors", sidecar.get("optimizer_state").asText());
        assertEquals(1234, sidecar.get("trainer_state").get("step").asInt());
        assertEquals("resnet50", sidecar.get("config").get("model").get("arch").asText());
        FileTime weightsTime = Files.getLastModifiedTime(file);
        FileTime sidecarTime = Files.getLastModifiedTime(dir.resolve("best.json"));
        assertTrue(weightsTime.compareTo(sidecarTime) <= 0, "the sidecar is written last");
    }

    @Test
    void aFailedSaveLeavesThePreviousCheckpointAndNoSidecarForIt(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("last.safetensors");
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> first = weights(scope, 3);
            NativeCheckpoint.write(file, info(), first, Map.of());
            String sha = NativeCheckpoint.sha256(file);
            byte[] sidecar = Files.readAllBytes(NativeCheckpoint.sidecarOf(file));

            // A closed array fails while the weights are being written: nothing may change.
            Map<String, NDArray> broken = weights(scope, 3);
            broken.get("new_fc.bias").close();
            assertThrows(
                    RuntimeException.class,
                    () -> NativeCheckpoint.write(file, info(), broken, Map.of()));
            assertEquals(List.of("last.json", "last.safetensors"), files(dir));
            assertEquals(sha, NativeCheckpoint.sha256(file));
            assertArrayEquals(sidecar, Files.readAllBytes(NativeCheckpoint.sidecarOf(file)));
            assertEquals(7, NativeCheckpoint.readWeights(file, scope).size() - 1);
        }

        // A first save that fails writes no sidecar at all.
        Path fresh = dir.resolve("fresh.safetensors");
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> broken = weights(scope, 3);
            broken.get("base_model.conv1.weight").close();
            assertThrows(
                    RuntimeException.class,
                    () -> NativeCheckpoint.write(fresh, info(), broken, Map.of()));
        }
        assertEquals(List.of("last.json", "last.safetensors"), files(dir));
    }

    @Test
    void detectsWeightsThatAreNotTheOnesTheSidecarDescribes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        try (NDManager scope = manager.newSubManager()) {
            NativeCheckpoint.write(file, info(), weights(scope, 3), Map.of());
            // As if a crash came after the new weights were renamed in, before the new sidecar.
            Safetensors.write(file, weights(scope, 3));
            CheckpointException e =
                    assertThrows(
                            CheckpointException.class,
                            () -> NativeCheckpoint.readWeights(file, scope));
            assertTrue(
                    e.getMessage()
                            .startsWith(file + ": is not the file ckpt.json describes (SHA-256 "),
                    e.getMessage());
        }
    }

    @Test
    void savingWithoutOptimizerStateRemovesAStaleOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ckpt.safetensors");
        try (NDManager scope = manager.newSubManager()) {
            NativeCheckpoint.write(
                    file, info(), weights(scope, 3), Map.of("m", scope.ones(new Shape(2))));
            assertTrue(NativeCheckpoint.readOptimizerState(file, scope).isPresent());
            NativeCheckpoint.write(file, info(), weights(scope, 3), Map.of());
            assertEquals(Optional.empty(), NativeCheckpoint.readOptimizerState(file, scope));
            assertFalse(Files.exists(NativeCheckpoint.optimizerStateOf(file)));
        }
    }

    @Test
    void aSidecarWrittenBeforeStylesAndProfilesKeepsWhatItWasComputedWith(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("old.safetensors");
        try (NDManager scope = manager.newSubManager()) {
            NativeCheckpoint.write(file, info(), weights(scope, 3), Map.of());
        }
        Path sidecar = NativeCheckpoint.sidecarOf(file);
        ObjectNode root = (ObjectNode) JSON.readTree(sidecar.toFile());
        ObjectNode config = (ObjectNode) root.get("config");
        ((ObjectNode) config.get("shift_temporal")).remove("style");
        ((ObjectNode) config.get("data_augmentation")).remove("profile");
        ((ObjectNode) config.get("model_validation")).remove("average");
        JSON.writeValue(sidecar.toFile(), root);

        TsamConfig read = NativeCheckpoint.readInfo(file).config();
        assertEquals(ShiftStyle.TSM, read.shiftTemporal().style());
        assertEquals(InputProfile.IMAGENET, read.dataAugmentation().profile());
        assertEquals(ClipAverage.PROBS, read.modelValidation().average());
    }

    @Test
    void checksNamesHeadAndFormatVersion(@TempDir Path dir) throws Exception {
        try (NDManager scope = manager.newSubManager()) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    NativeCheckpoint.write(
                                            dir.resolve("ckpt.pth"),
                                            info(),
                                            weights(scope, 3),
                                            Map.of()));
            assertTrue(e.getMessage().contains("must be named <name>.safetensors"), e.getMessage());
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    NativeCheckpoint.write(
                                            dir.resolve("c.safetensors"),
                                            info(),
                                            weights(scope, 4),
                                            Map.of()));
            assertEquals(
                    "new_fc.weight has 4 rows but there are 3 labels; the head needs one row per"
                            + " label",
                    e.getMessage());
            assertEquals(List.of(), files(dir));

            Path file = dir.resolve("ckpt.safetensors");
            NativeCheckpoint.write(file, info(), weights(scope, 3), Map.of());
            Path sidecar = NativeCheckpoint.sidecarOf(file);
            String text = Files.readString(sidecar, StandardCharsets.UTF_8);
            Files.writeString(
                    sidecar, text.replace("\"format_version\" : 1", "\"format_version\" : 2"));
            CheckpointException bad =
                    assertThrows(CheckpointException.class, () -> NativeCheckpoint.readInfo(file));
            assertEquals(
                    sidecar + ": format_version 2 is not supported (this build reads 1)",
                    bad.getMessage());
        }
    }

    @Test
    void sha256OfAKnownText(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("abc.txt");
        Files.writeString(file, "abc");
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                NativeCheckpoint.sha256(file));
    }

    @Test
    void infoRejectsNonFiniteMetricsAndMissingFields() {
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        CheckpointInfo.builder()
                                .setConfig(TsamConfig.defaults())
                                .setEpoch(1)
                                .build());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                CheckpointInfo.builder()
                                        .setConfig(TsamConfig.defaults())
                                        .setLabels(LabelNames.indices(2))
                                        .setEpoch(1)
                                        .optMetrics(Map.of("loss", Double.NaN))
                                        .build());
        assertEquals("metric 'loss' = NaN: expected a name and a finite number", e.getMessage());
    }
}
