package io.tsam.model.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PyTorchNamesTest {

    @Test
    void resnet18WithEveryOtherBlockShiftedHasTsmNames() {
        // n_insert=2, m_insert=1: block 1 of every stage shifts, block 0 does not.
        TsamNet net =
                TsamNet.builder()
                        .setModel(Fixtures.model(8, 1, "resnet18"))
                        .setShift(Fixtures.shift(8, 1, 2, 1))
                        .setClasses(10)
                        .build();

        Map<String, Parameter> names = PyTorchNames.of(net);

        List<String> convs =
                names.keySet().stream()
                        .filter(n -> names.get(n).getType() == Parameter.Type.WEIGHT)
                        .collect(Collectors.toList());
        List<String> expectedConvs = new ArrayList<>(List.of("base_model.conv1.weight"));
        for (int layer = 1; layer <= 4; layer++) {
            String stage = "base_model.layer" + layer + ".";
            expectedConvs.add(stage + "0.conv1.weight");
            expectedConvs.add(stage + "0.conv2.weight");
            if (layer > 1) {
                expectedConvs.add(stage + "0.downsample.0.weight");
            }
            expectedConvs.add(stage + "1.conv1.net.weight");
            expectedConvs.add(stage + "1.conv2.weight");
        }
        expectedConvs.add("new_fc.weight");
        assertEquals(expectedConvs, convs);

        List<String> all = new ArrayList<>(names.keySet());
        assertEquals(
                List.of(
                        "base_model.conv1.weight",
                        "base_model.bn1.weight",
                        "base_model.bn1.bias",
                        "base_model.bn1.running_mean",
                        "base_model.bn1.running_var",
                        "base_model.layer1.0.conv1.weight",
                        "base_model.layer1.0.bn1.weight"),
                all.subList(0, 7));
        assertEquals(
                List.of(
                        "base_model.layer2.0.downsample.0.weight",
                        "base_model.layer2.0.downsample.1.weight",
                        "base_model.layer2.0.downsample.1.bias",
                        "base_model.layer2.0.downsample.1.running_mean",
                        "base_model.layer2.0.downsample.1.running_var",
                        "base_model.layer2.1.conv1.net.weight"),
                all.subList(
                        all.indexOf("base_model.layer2.0.downsample.0.weight"),
                        all.indexOf("base_model.layer2.1.conv1.net.weight") + 1));
        assertEquals(
                List.of("new_fc.weight", "new_fc.bias"), all.subList(all.size() - 2, all.size()));
        // 20 convs, 20 BatchNorms with 4 tensors each, the head's 2: all distinct.
        assertEquals(102, names.size());
        assertEquals(net.getParameters().size(), names.size());
    }

    @Test
    void resnet50NamesAndShapesMatchTorchvision() throws IOException {
        // Every block shifted, as the fixture script maps torchvision's resnet50().state_dict().
        TsamNet net =
                TsamNet.builder()
                        .setModel(Fixtures.model(8, 1, "resnet50"))
                        .setShift(ShiftConfig.defaults())
                        .setClasses(1000)
                        .build();
        List<String> actual = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Fixtures.ENGINE)) {
            net.initialize(manager, DataType.FLOAT32, net.inputShapes(1, 32, 32));
            PyTorchNames.shapes(net).forEach((name, shape) -> actual.add(name + " " + dims(shape)));
        }
        List<String> expected = Files.readAllLines(Fixtures.resource("resnet50_names.txt"));
        assertEquals(expected, actual);
    }

    @Test
    void tsnHasNoShiftedConvs() {
        TsamNet net =
                TsamNet.builder()
                        .setModel(Fixtures.model(8, 0, "resnet34"))
                        .setShift(new ShiftConfig(false, 8, 1, 1, 0, ShiftStyle.TSM))
                        .setClasses(3)
                        .build();
        assertFalse(PyTorchNames.of(net).keySet().stream().anyMatch(n -> n.contains(".net.")));
    }

    private static String dims(Shape shape) {
        return LongStream.of(shape.getShape())
                .mapToObj(Long::toString)
                .collect(Collectors.joining(","));
    }
}
