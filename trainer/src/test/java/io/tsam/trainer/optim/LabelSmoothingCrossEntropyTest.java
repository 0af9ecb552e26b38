package io.tsam.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LabelSmoothingCrossEntropyTest {

    private static NDManager manager;
    private static JsonNode reference;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        reference = Reference.load().get("cross_entropy");
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    @Test
    void lossAndGradientMatchPyTorch() {
        for (JsonNode c : reference.get("cases")) {
            double smoothing = c.get("smoothing").asDouble();
            for (DataType labelType : new DataType[] {DataType.INT64, DataType.INT32}) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray logits = Reference.array(scope, reference.get("logits"));
                    logits.setRequiresGradient(true);
                    NDArray labels =
                            scope.create(Reference.ints(reference.get("labels")))
                                    .toType(labelType, false);
                    float loss;
                    try (GradientCollector collector =
                            Engine.getInstance().newGradientCollector()) {
                        NDArray value =
                                new LabelSmoothingCrossEntropy(smoothing).loss(logits, labels);
                        assertEquals(new Shape(), value.getShape());
                        collector.backward(value);
                        loss = value.getFloat();
                    }
                    String label = "smoothing " + smoothing + " " + labelType;
                    Reference.assertClose(c.get("loss").asDouble(), loss, label + " loss");
                    Reference.assertClose(c.get("grad"), logits.getGradient(), label + " grad");
                }
            }
        }
    }

    @Test
    void handCheckedValue() {
        // Two classes, equal logits: log p = ln(1/2) everywhere, so every smoothing gives ln 2.
        // Logits (0, ln 3): p = (1/4, 3/4); label 1, eps 0.5: 0.5 * ln(4/3) + 0.25 * (ln 4 + ln
        // 4/3).
        try (NDManager scope = manager.newSubManager()) {
            NDArray labels = scope.create(new long[] {0, 1});
            NDArray equal = scope.zeros(new Shape(2, 2));
            assertEquals(
                    Math.log(2),
                    new LabelSmoothingCrossEntropy(0.3).loss(equal, labels).getFloat(),
                    1e-6);
            NDArray logits = scope.create(new float[] {0f, (float) Math.log(3)}, new Shape(1, 2));
            double expected = 0.5 * Math.log(4.0 / 3) + 0.25 * (Math.log(4) + Math.log(4.0 / 3));
            assertEquals(
                    expected,
                    new LabelSmoothingCrossEntropy(0.5)
                            .loss(logits, scope.create(new long[] {1}))
                            .getFloat(),
                    1e-6);
        }
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> new LabelSmoothingCrossEntropy(-0.1));
        assertThrows(IllegalArgumentException.class, () -> new LabelSmoothingCrossEntropy(1.5));
        try (NDManager scope = manager.newSubManager()) {
            LabelSmoothingCrossEntropy loss = new LabelSmoothingCrossEntropy(0.1);
            IllegalArgumentException labels =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    loss.loss(
                                            scope.zeros(new Shape(3, 4)),
                                            scope.create(new long[] {0, 1})));
            assertTrue(labels.getMessage().contains("labels must be [3]"), labels.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> loss.loss(scope.zeros(new Shape(3)), scope.create(new long[] {0, 1, 2})));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> loss.loss(scope.zeros(new Shape(2, 4)), scope.zeros(new Shape(2))));
        }
    }
}
