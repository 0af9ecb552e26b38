package io.tsam.model.net;

import static io.tsam.model.net.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.tsam.config.ModelConfig;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TsamNetTest {

    private static final int SIZE = 32;
    private static final int BATCH = 2;

    private NDManager manager;

    @BeforeEach
    void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), Fixtures.ENGINE);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }

    /**
     * The whole net against {@code src/test/python/make_tsam_logits.py}: weights and inputs come
     * from the same formulas on both sides, so the fixture is only the logits.
     */
    @Test
    void logitsMatchThePyTorchReference() {
        TsamNet net =
                TsamNet.builder()
                        .setModel(Fixtures.model(3, 1, "resnet18"))
                        .setShift(Fixtures.shift(4, 2, 2, 1))
                        .setClasses(5)
                        .build();
        net.initialize(manager, DataType.FLOAT32, net.inputShapes(BATCH, SIZE, SIZE));
        int index = 0;
        for (Map.Entry<String, Parameter> entry : PyTorchNames.of(net).entrySet()) {
            Parameter parameter = entry.getValue();
            float[] values = formulaValue(entry.getKey(), parameter.getShape(), index++);
            parameter.getArray().set(values);
        }
        NDArray video = formulaInput(new Shape(BATCH, 3, 3, SIZE, SIZE), 0.011, 0.3);
        NDArray audio = formulaInput(new Shape(BATCH, 3, SIZE, SIZE), 0.017, 1.1);

        NDArray logits = forward(net, false, video, audio);

        NDArray expected = Fixtures.npy(manager, "tsam_resnet18_logits.npy");
        float diff = maxAbsDiff(logits, expected);
        // Measured: 3.6e-7 on logits of magnitude 0.7.
        assertTrue(diff < 2e-5f, "logits differ from PyTorch by " + diff);
    }

    @ParameterizedTest
    @CsvSource({"3, 1", "3, 0", "1, 1", "1, 0"})
    void outputIsBatchByClassesForEveryInputLayout(int videoSegments, int audioSegments) {
        TsamNet net = net(videoSegments, audioSegments, ShiftConfig.defaults(), 7);
        Shape[] shapes = net.inputShapes(BATCH, SIZE, SIZE);
        net.initialize(manager, DataType.FLOAT32, shapes);
        NDList inputs = new NDList();
        for (Shape shape : shapes) {
            inputs.add(manager.randomNormal(shape));
        }

        NDArray logits = forward(net, false, inputs.toArray(new NDArray[0]));

        assertEquals(new Shape(BATCH, 7), logits.getShape());
        assertArrayEquals(new Shape[] {new Shape(BATCH, 7)}, net.getOutputShapes(shapes));
        assertTrue(Float.isFinite(logits.abs().max().getFloat()));
    }

    @Test
    void withoutShiftTheOutputIsTheHeadOfTheMeanOfPerImageFeatures() {
        ShiftConfig tsn = new ShiftConfig(false, 8, 1, 1, 0, ShiftStyle.TSM);
        TsamNet net = net(3, 1, tsn, 4);
        net.initialize(manager, DataType.FLOAT32, net.inputShapes(BATCH, SIZE, SIZE));
        randomiseRunningStats(net);
        // A unit-scale head keeps the logits near 1, so the tolerance below is a relative one.
        NDArray headWeight = net.head().getParameters().get("weight").getArray();
        headWeight.set(manager.randomNormal(headWeight.getShape()).toFloatArray());
        NDArray video = manager.randomNormal(new Shape(BATCH, 3, 3, SIZE, SIZE));
        NDArray audio = manager.randomNormal(new Shape(BATCH, 3, SIZE, SIZE));

        NDArray logits = forward(net, false, video, audio);

        ParameterStore store = new ParameterStore(manager, false);
        List<NDArray> pooled = new ArrayList<>();
        for (int n = 0; n < BATCH; n++) {
            List<NDArray> features = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                NDArray frame = video.get(new NDIndex("{}:{}, {}", n, n + 1, t));
                features.add(backbone(net, store, frame));
            }
            features.add(backbone(net, store, audio.get(new NDIndex("{}:{}", n, n + 1))));
            pooled.add(NDArrays.concat(new NDList(features)).mean(new int[] {0}, true));
        }
        NDArray expected =
                net.head()
                        .forward(store, new NDList(NDArrays.concat(new NDList(pooled))), false)
                        .singletonOrThrow();
        float diff = maxAbsDiff(logits, expected);
        assertTrue(diff < 1e-4f, "TSN output differs from per-image features by " + diff);
    }

    @Test
    void gradientFlowsToTheShiftedConvAndTheStem() {
        TsamNet net = net(2, 1, ShiftConfig.defaults(), 3);
        net.initialize(manager, DataType.FLOAT32, net.inputShapes(BATCH, SIZE, SIZE));
        ResidualBlock first = net.backbone().stages().get(0).blocks().get(0);
        assertTrue(first.shiftedConv().isPresent());
        NDArray video = manager.randomNormal(new Shape(BATCH, 2, 3, SIZE, SIZE));
        NDArray audio = manager.randomNormal(new Shape(BATCH, 3, SIZE, SIZE));

        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray logits = forward(net, true, video, audio);
            collector.backward(logits.square().sum());
        }

        Map<String, Parameter> names = PyTorchNames.of(net);
        for (String name :
                List.of("base_model.layer1.0.conv1.net.weight", "base_model.conv1.weight")) {
            NDArray gradient = names.get(name).getArray().getGradient();
            float largest = gradient.abs().max().getFloat();
            assertTrue(largest > 0 && Float.isFinite(largest), name + " gradient " + largest);
        }
        assertEquals(
                first.convs().get(0), first.shiftedConv().orElseThrow().conv(), "unwrapped conv");
    }

    @Test
    void savedParametersLoadIntoAFreshNet() throws IOException, MalformedModelException {
        TsamNet net = net(2, 1, ShiftConfig.defaults(), 3);
        net.initialize(manager, DataType.FLOAT32, net.inputShapes(1, SIZE, SIZE));
        randomiseRunningStats(net);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            net.saveParameters(out);
        }

        TsamNet loaded = net(2, 1, ShiftConfig.defaults(), 3);
        try (DataInputStream in =
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            loaded.loadParameters(manager, in);
        }

        Map<String, Parameter> expected = PyTorchNames.of(net);
        Map<String, Parameter> actual = PyTorchNames.of(loaded);
        assertEquals(expected.keySet(), actual.keySet());
        for (String name : expected.keySet()) {
            assertEquals(
                    expected.get(name).getArray(), actual.get(name).getArray(), name + " differs");
        }
    }

    @Test
    void wrongInputsAreRejectedWithTheExpectedLayout() {
        TsamNet net = net(3, 1, ShiftConfig.defaults(), 2);
        Shape video = new Shape(BATCH, 3, 3, SIZE, SIZE);
        IllegalArgumentException missingAudio =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> net.getOutputShapes(new Shape[] {video}));
        assertTrue(missingAudio.getMessage().contains("audio [N, 3, H, W]"));
        Shape wrongSegments = new Shape(BATCH, 4, 3, SIZE, SIZE);
        Shape audio = new Shape(BATCH, 3, SIZE, SIZE);
        IllegalArgumentException segments =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> net.getOutputShapes(new Shape[] {wrongSegments, audio}));
        assertTrue(segments.getMessage().contains("T=3"));
        Shape smallAudio = new Shape(BATCH, 3, 16, 16);
        assertThrows(
                IllegalArgumentException.class,
                () -> net.getOutputShapes(new Shape[] {video, smallAudio}));
    }

    @Test
    void builderRequiresEveryPart() {
        ModelConfig model = Fixtures.model(3, 1, "resnet18");
        IllegalArgumentException classes =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                TsamNet.builder()
                                        .setModel(model)
                                        .setShift(ShiftConfig.defaults())
                                        .setClasses(0)
                                        .build());
        assertTrue(classes.getMessage().contains("got 0"));
        assertThrows(
                NullPointerException.class,
                () -> TsamNet.builder().setModel(model).setClasses(3).build());
    }

    @Test
    void timmArchBuildsTheSameNetwork() {
        TsamNet net = net(1, 0, ShiftConfig.defaults(), 2);
        TsamNet timm =
                TsamNet.builder()
                        .setModel(Fixtures.model(1, 0, "resnet18_timm"))
                        .setShift(ShiftConfig.defaults())
                        .setClasses(2)
                        .build();
        assertEquals(ResNetDepth.RESNET18, timm.backbone().depth());
        assertEquals(PyTorchNames.of(net).keySet(), PyTorchNames.of(timm).keySet());
    }

    private static TsamNet net(
            int videoSegments, int audioSegments, ShiftConfig shift, int classes) {
        return TsamNet.builder()
                .setModel(Fixtures.model(videoSegments, audioSegments, "resnet18"))
                .setShift(shift)
                .setClasses(classes)
                .build();
    }

    private NDArray forward(TsamNet net, boolean training, NDArray... inputs) {
        return net.forward(new ParameterStore(manager, false), new NDList(inputs), training)
                .singletonOrThrow();
    }

    private static NDArray backbone(TsamNet net, ParameterStore store, NDArray images) {
        NDArray flat = images.reshape(1, 3, SIZE, SIZE);
        return net.backbone().forward(store, new NDList(flat), false).singletonOrThrow();
    }

    /** Moves the running statistics off the identity so that eval mode is not trivial. */
    private void randomiseRunningStats(TsamNet net) {
        for (Map.Entry<String, Parameter> entry : PyTorchNames.of(net).entrySet()) {
            NDArray array = entry.getValue().getArray();
            if (entry.getKey().endsWith("running_mean")) {
                Shape shape = array.getShape();
                array.set(manager.randomNormal(0, 0.1f, shape, DataType.FLOAT32).toFloatArray());
            } else if (entry.getKey().endsWith("running_var")) {
                array.set(manager.randomUniform(0.5f, 1.5f, array.getShape()).toFloatArray());
            }
        }
    }

    /** The Java twin of {@code tsam_reference.formula_value}, computed in float64. */
    private float[] formulaValue(String name, Shape shape, int index) {
        long n = shape.size();
        NDArray wave = manager.arange(0, n, 1, DataType.FLOAT64).mul(0.37).add(index).sin();
        NDArray value;
        if (name.endsWith("running_var")) {
            value = wave.add(1).mul(0.25).add(1);
        } else if (name.endsWith("running_mean")) {
            value = wave.mul(0.1);
        } else if (name.endsWith(".weight") && shape.dimension() == 1) {
            value = wave.mul(0.1).add(1);
        } else if (name.endsWith(".bias")) {
            value = wave.mul(0.1);
        } else {
            value = wave.mul(2).div(Math.sqrt(n / shape.get(0)));
        }
        return value.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** The Java twin of {@code tsam_reference.formula_input}. */
    private NDArray formulaInput(Shape shape, double step, double phase) {
        float[] values = new float[(int) shape.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (Math.sin(step * i + phase) * 2);
        }
        return manager.create(values, shape);
    }
}
