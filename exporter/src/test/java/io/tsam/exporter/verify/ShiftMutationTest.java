package io.tsam.exporter.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtEnvironment;
import com.google.protobuf.ByteString;
import io.tsam.backend.OrtBackend;
import io.tsam.config.ShiftConfig;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.exporter.onnx.TsamOnnxExporter;
import io.tsam.model.net.PyTorchNames;
import io.tsam.model.net.TsamNet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The default verification against the two ways it can be wrong: too strict, so that float32
 * rounding through a deep net with logits in the hundreds fails a correct export, or too loose, so
 * that an export whose shift reads one wrong frame for one channel passes. The second is caught by
 * {@link ShiftCheck}, not by the logits: one wrong index in ResNet-101's last shift moves the
 * logits by 1.1e-6 of their scale where rounding alone gives 0.5e-6.
 */
class ShiftMutationTest {

    private static final int SEGMENTS = 8;
    private static final int CLASSES = 400;

    @ParameterizedTest(name = "{0} {1}px logits x{2}")
    @CsvSource({"resnet18, 112, 1", "resnet50, 224, 300", "resnet101, 112, 300"})
    void float32RoundingPassesTheDefaults(String arch, int size, float scale) {
        TsamConfig config = TestNets.config(arch, SEGMENTS, 1, ShiftConfig.defaults(), size);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            TsamNet net = net(manager, config, scale);
            ModelProto model = export(net, config);

            ParityReport report = verify(model, net, config, size);

            assertTrue(report.passed(), report::table);
            assertEquals(report.shifts().size(), shiftTables(model).size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"resnet18", "resnet101"})
    void aOneIndexShiftErrorFailsTheDefaults(String arch) {
        int size = 64;
        TsamConfig config = TestNets.config(arch, SEGMENTS, 1, ShiftConfig.defaults(), size);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            TsamNet net = net(manager, config, 1);
            ModelProto model = export(net, config);
            List<String> tables = shiftTables(model);

            for (String table :
                    List.of(
                            tables.get(0),
                            tables.get(tables.size() / 2),
                            tables.get(tables.size() - 1))) {
                ParityReport broken = verify(breakOneIndex(model, table), net, config, size);

                assertFalse(broken.passed(), () -> table + " broken:\n" + broken.table());
                List<String> failed =
                        broken.shifts().stream()
                                .filter(shift -> !shift.passed())
                                .map(ShiftComparison::table)
                                .toList();
                assertEquals(List.of(table), failed, broken::table);
                assertTrue(broken.table().contains("FAIL " + table), broken::table);
            }
        }
    }

    /** A seeded net whose logits are {@code scale} times TestNets' order-1 logits. */
    private static TsamNet net(NDManager manager, TsamConfig config, float scale) {
        TsamNet net = TestNets.net(manager, config, CLASSES, 7);
        NDArray head = PyTorchNames.of(net).get("new_fc.weight").getArray();
        head.set(new NDIndex(":"), head.mul(scale));
        return net;
    }

    private static ModelProto export(TsamNet net, TsamConfig config) {
        return TsamOnnxExporter.builder()
                .setNet(net)
                .setConfig(config)
                .setCheckpointSha256("0".repeat(64))
                .build()
                .export();
    }

    /** What {@code tsam-export} checks by default, on one random batch of 2. */
    private static ParityReport verify(ModelProto model, TsamNet net, TsamConfig config, int size) {
        List<ParityInput> inputs = List.of(ParityInput.random(config.model(), size, 2, 3));
        try (OrtBackend backend =
                OrtBackend.builder()
                        .setModel(model.toByteArray(), Path.of("model.onnx"))
                        .setEnvironment(OrtEnvironment.getEnvironment())
                        .build()) {
            return ParityCheck.builder()
                    .setBackend(backend)
                    .setNet(net)
                    .setInputs(inputs)
                    .build()
                    .run()
                    .withShifts(ShiftCheck.run(model, net, 1));
        }
    }

    private static List<String> shiftTables(ModelProto model) {
        List<String> names = new ArrayList<>();
        for (TensorProto t : model.getGraph().getInitializerList()) {
            if (t.getName().endsWith(".shift_indices")) {
                names.add(t.getName());
            }
        }
        assertFalse(names.isEmpty(), "the export has no shift table");
        return names;
    }

    /**
     * The table with one entry changed: channel 0 of the middle frame, which reads the next frame,
     * reads its own instead.
     */
    private static ModelProto breakOneIndex(ModelProto model, String name) {
        ModelProto.Builder copy = model.toBuilder();
        List<TensorProto> initializers = copy.getGraph().getInitializerList();
        for (int i = 0; i < initializers.size(); i++) {
            TensorProto tensor = initializers.get(i);
            if (!tensor.getName().equals(name)) {
                continue;
            }
            ByteBuffer data =
                    ByteBuffer.wrap(tensor.getRawData().toByteArray())
                            .order(ByteOrder.LITTLE_ENDIAN);
            int channels = data.capacity() / Long.BYTES / (SEGMENTS + 1);
            int frame = SEGMENTS / 2;
            int entry = frame * channels;
            assertTrue(data.getLong(entry * Long.BYTES) == (long) (frame + 1) * channels);
            data.putLong(entry * Long.BYTES, entry);
            copy.getGraphBuilder()
                    .setInitializer(
                            i, tensor.toBuilder().setRawData(ByteString.copyFrom(data.array())));
        }
        return copy.build();
    }
}
