package io.tsam.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class StateDictTest {
    private static final Path FILE = Path.of("weights.pth");

    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    /** The TSM layout of the tiny ResNet of plain_resnet.pth, block 0 of each stage shifted. */
    private static Map<String, Shape> tinyTsmLayout(int classes) {
        Map<String, Shape> layout = new LinkedHashMap<>();
        layout.put("base_model.conv1.weight", new Shape(4, 3, 3, 3));
        bn(layout, "base_model.bn1", 4);
        layout.put("base_model.layer1.0.conv1.net.weight", new Shape(4, 4, 3, 3));
        bn(layout, "base_model.layer1.0.bn1", 4);
        layout.put("base_model.layer1.0.conv2.weight", new Shape(4, 4, 3, 3));
        bn(layout, "base_model.layer1.0.bn2", 4);
        layout.put("base_model.layer2.0.conv1.net.weight", new Shape(8, 4, 3, 3));
        bn(layout, "base_model.layer2.0.bn1", 8);
        layout.put("base_model.layer2.0.conv2.weight", new Shape(8, 8, 3, 3));
        bn(layout, "base_model.layer2.0.bn2", 8);
        layout.put("base_model.layer2.0.downsample.0.weight", new Shape(8, 4, 1, 1));
        bn(layout, "base_model.layer2.0.downsample.1", 8);
        layout.put("new_fc.weight", new Shape(classes, 8));
        layout.put("new_fc.bias", new Shape(classes));
        return layout;
    }

    private static void bn(Map<String, Shape> layout, String prefix, int channels) {
        for (String name : List.of("weight", "bias", "running_mean", "running_var")) {
            layout.put(prefix + "." + name, new Shape(channels));
        }
    }

    @Test
    void mapsATorchvisionStateDictIntoTheShiftedLayout() {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> raw = TensorFiles.read(Fixtures.file("plain_resnet.pth"), scope);
            Map<String, Shape> layout = tinyTsmLayout(3);
            StateDict mapped = StateDict.map(FILE, raw, layout);

            assertEquals(StateDict.Form.TORCHVISION, mapped.form());
            List<String> backbone = new ArrayList<>(layout.keySet());
            backbone.removeAll(List.of("new_fc.weight", "new_fc.bias"));
            assertEquals(backbone, new ArrayList<>(mapped.tensors().keySet()));
            // The shifted convs got their .net; the arrays are the file's, not copies.
            assertSame(
                    raw.get("layer1.0.conv1.weight"),
                    mapped.tensors().get("base_model.layer1.0.conv1.net.weight"));
            assertSame(
                    raw.get("layer2.0.downsample.0.weight"),
                    mapped.tensors().get("base_model.layer2.0.downsample.0.weight"));
            assertSame(
                    raw.get("layer1.0.conv2.weight"),
                    mapped.tensors().get("base_model.layer1.0.conv2.weight"));
            assertEquals(List.of("new_fc.weight", "new_fc.bias"), mapped.leftAtInit());
            assertTrue(mapped.ignored().containsAll(List.of("fc.weight", "fc.bias")));
            assertTrue(mapped.ignored().contains("layer2.0.downsample.1.num_batches_tracked"));
            assertEquals(2 + 6, mapped.ignored().size());
            assertEquals(
                    "torchvision/timm ResNet state dict: 30 tensors mapped, 8 ignored, left at"
                            + " their initialisation: new_fc.weight, new_fc.bias",
                    mapped.summary());
        }
    }

    @Test
    void mapsATsmCheckpointWithItsDataParallelPrefix() {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> raw = TensorFiles.read(Fixtures.file("tsm_tiny.pth"), scope);
            Map<String, Shape> layout = new LinkedHashMap<>();
            layout.put("base_model.conv1.weight", new Shape(4, 3, 3, 3));
            bn(layout, "base_model.bn1", 4);
            layout.put("base_model.layer1.0.conv1.net.weight", new Shape(4, 4, 3, 3));
            layout.put("new_fc.weight", new Shape(5, 4));
            layout.put("new_fc.bias", new Shape(5));
            StateDict mapped = StateDict.map(FILE, raw, layout);

            assertEquals(StateDict.Form.TSM, mapped.form());
            assertEquals(
                    new ArrayList<>(layout.keySet()), new ArrayList<>(mapped.tensors().keySet()));
            assertSame(raw.get("module.new_fc.weight"), mapped.tensors().get("new_fc.weight"));
            assertEquals(List.of("module.base_model.bn1.num_batches_tracked"), mapped.ignored());
            assertEquals(List.of(), mapped.leftAtInit());
        }
    }

    @Test
    void mapsACheckpointSavedByTsamsCode() {
        // model_state {nn_input, nn_backbone, last_fc} flattened; the shifted conv is wrapped as
        // conv1.layer in TSAM's code and conv1.net here; last_fc is new_fc.
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> raw = TensorFiles.read(Fixtures.file("tsam_code_tiny.pth"), scope);
            Map<String, Shape> layout = new LinkedHashMap<>();
            layout.put("base_model.conv1.weight", new Shape(2, 3, 1, 1));
            layout.put("base_model.bn1.running_mean", new Shape(2));
            layout.put("base_model.layer1.0.conv1.net.weight", new Shape(2, 2, 1, 1));
            layout.put("new_fc.weight", new Shape(3, 2));
            layout.put("new_fc.bias", new Shape(3));
            StateDict mapped = StateDict.map(FILE, raw, layout);

            assertEquals(StateDict.Form.TSAM, mapped.form());
            assertEquals(
                    new ArrayList<>(layout.keySet()), new ArrayList<>(mapped.tensors().keySet()));
            assertSame(
                    raw.get("nn_backbone.base_model.layer1.0.conv1.layer.weight"),
                    mapped.tensors().get("base_model.layer1.0.conv1.net.weight"));
            assertSame(raw.get("last_fc.bias"), mapped.tensors().get("new_fc.bias"));
            assertEquals(
                    List.of("nn_backbone.base_model.bn1.num_batches_tracked"), mapped.ignored());
        }
    }

    @Test
    void theFormFollowsTheNames() {
        assertEquals(
                StateDict.Form.TSAM,
                StateDict.formOf(List.of("module.nn_backbone.base_model.conv1.weight")));
        assertEquals(StateDict.Form.TSAM, StateDict.formOf(List.of("last_fc.weight")));
        assertEquals(StateDict.Form.TSM, StateDict.formOf(List.of("base_model.conv1.weight")));
        assertEquals(StateDict.Form.TORCHVISION, StateDict.formOf(List.of("conv1.weight")));
    }

    @Test
    void listsEveryMissingUnexpectedAndMisshapenNameInOneMessage() {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> raw = new LinkedHashMap<>();
            raw.put("conv1.weight", scope.zeros(new Shape(4, 3, 7, 7)));
            raw.put("layer1.0.conv1.weight", scope.zeros(new Shape(4, 4, 3, 3)));
            raw.put("layer9.0.conv1.weight", scope.zeros(new Shape(4, 4, 3, 3)));
            raw.put("fc.weight", scope.zeros(new Shape(10, 8)));
            Map<String, Shape> layout = new LinkedHashMap<>();
            layout.put("base_model.conv1.weight", new Shape(4, 3, 3, 3));
            layout.put("base_model.layer1.0.conv1.net.weight", new Shape(4, 4, 3, 3));
            layout.put("base_model.layer1.0.conv2.weight", new Shape(4, 4, 3, 3));
            layout.put("new_fc.weight", new Shape(3, 8));

            CheckpointException e =
                    assertThrows(CheckpointException.class, () -> StateDict.map(FILE, raw, layout));
            assertEquals(
                    "weights.pth: the torchvision/timm ResNet state dict does not match the model:"
                            + " 1 missing, 1 unexpected, 1 with another shape\n"
                            + "  missing (1): base_model.layer1.0.conv2.weight\n"
                            + "  unexpected (1): layer9.0.conv1.weight (as"
                            + " base_model.layer9.0.conv1.weight)\n"
                            + "  shape mismatch (1): base_model.conv1.weight: file [4, 3, 7, 7] vs"
                            + " model [4, 3, 3, 3]",
                    e.getMessage());
            assertEquals(FILE, e.file());
        }
    }

    @Test
    void capsLongListsAndHintsAtAnotherShiftPlacement() {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> raw = new LinkedHashMap<>();
            Map<String, Shape> layout = new LinkedHashMap<>();
            for (int block = 0; block < 25; block++) {
                // The file was trained without the shift, the model has it everywhere.
                raw.put(
                        "module.base_model.layer1." + block + ".conv1.weight",
                        scope.zeros(new Shape(1)));
                layout.put("base_model.layer1." + block + ".conv1.net.weight", new Shape(1));
            }
            CheckpointException e =
                    assertThrows(CheckpointException.class, () -> StateDict.map(FILE, raw, layout));
            String[] lines = e.getMessage().split("\n");
            assertEquals(
                    "weights.pth: the TSM-layout checkpoint does not match the model: 25 missing,"
                            + " 25 unexpected, 0 with another shape",
                    lines[0]);
            assertTrue(
                    lines[1].startsWith("  missing (25): base_model.layer1.0.conv1.net.weight, "));
            assertTrue(
                    lines[1].endsWith("base_model.layer1.19.conv1.net.weight, ... and 5 more"),
                    lines[1]);
            assertTrue(
                    lines[2].startsWith(
                            "  unexpected (25): module.base_model.layer1.0.conv1.weight (as"
                                    + " base_model.layer1.0.conv1.weight), "),
                    lines[2]);
            assertTrue(lines[2].endsWith(", ... and 5 more"), lines[2]);
            assertEquals(
                    "  hint: 25 names differ only by '.net' (a shifted conv): the file was made"
                            + " with another shift_temporal placement (status, n_insert, m_insert)",
                    lines[3]);
        }
    }
}
