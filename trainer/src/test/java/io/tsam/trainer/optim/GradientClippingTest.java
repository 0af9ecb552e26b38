package io.tsam.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    private static NDManager manager;
    private static JsonNode cases;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        cases = Reference.load().get("clip");
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /**
     * Parameters whose gradients are the case's gradients (loss = sum(w * g) gives dL/dw = g), plus
     * a frozen parameter with a huge value that must not count.
     */
    private static Map<String, Parameter> withGradients(NDManager scope, JsonNode grads) {
        Map<String, Parameter> parameters = new LinkedHashMap<>();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            NDArray loss = scope.zeros(new ai.djl.ndarray.types.Shape());
            for (int i = 0; i < grads.size(); i++) {
                NDArray array = scope.zeros(Reference.shape(grads.get(i)));
                parameters.put("p" + i, TinyModel.parameter("p" + i, array, true));
                loss = loss.add(array.mul(Reference.array(scope, grads.get(i))).sum());
            }
            collector.backward(loss);
        }
        parameters.put(
                "frozen",
                TinyModel.parameter(
                        "frozen", scope.full(new ai.djl.ndarray.types.Shape(3), 1e6f), false));
        return parameters;
    }

    @Test
    void matchesPyTorchBelowAndAboveTheMaximum() {
        for (JsonNode c : cases) {
            try (NDManager scope = manager.newSubManager()) {
                Map<String, Parameter> parameters = withGradients(scope, c.get("grads"));
                double maxNorm = c.get("max_norm").asDouble();
                double norm = GradientClipping.clipGradNorm(parameters, maxNorm);
                Reference.assertClose(c.get("norm").asDouble(), norm, "norm at max " + maxNorm);
                for (int i = 0; i < c.get("clipped").size(); i++) {
                    Reference.assertClose(
                            c.get("clipped").get(i),
                            parameters.get("p" + i).getArray().getGradient(),
                            "grad " + i + " at max " + maxNorm);
                }
            }
        }
    }

    @Test
    void gradientsUnderTheMaximumAreUntouched() {
        JsonNode c = cases.get(0);
        try (NDManager scope = manager.newSubManager()) {
            Map<String, Parameter> parameters = withGradients(scope, c.get("grads"));
            GradientClipping.clipGradNorm(parameters, c.get("max_norm").asDouble());
            for (int i = 0; i < c.get("grads").size(); i++) {
                assertArrayEquals(
                        Reference.data(c.get("grads").get(i)),
                        parameters.get("p" + i).getArray().getGradient().toFloatArray(),
                        0f);
            }
        }
    }

    @Test
    void withoutMaximumOnlyMeasures() {
        JsonNode c = cases.get(1);
        try (NDManager scope = manager.newSubManager()) {
            Map<String, Parameter> parameters = withGradients(scope, c.get("grads"));
            double norm = GradientClipping.clipGradNorm(parameters, OptionalDouble.empty());
            Reference.assertClose(c.get("norm").asDouble(), norm, "norm");
            assertArrayEquals(
                    Reference.data(c.get("grads").get(0)),
                    parameters.get("p0").getArray().getGradient().toFloatArray(),
                    0f);
        }
    }

    @Test
    void handCheckedNorm() {
        // Gradients (3, 4) and (12): norm = sqrt(9 + 16 + 144) = 13; max 6.5 halves them (up to
        // PyTorch's 1e-6 in the denominator).
        try (NDManager scope = manager.newSubManager()) {
            JsonNode grads =
                    new com.fasterxml.jackson.databind.ObjectMapper()
                            .valueToTree(
                                    List.of(
                                            Map.of("shape", List.of(2), "data", List.of(3, 4)),
                                            Map.of("shape", List.of(1), "data", List.of(12))));
            Map<String, Parameter> parameters = withGradients(scope, grads);
            assertEquals(13.0, GradientClipping.clipGradNorm(parameters, OptionalDouble.of(6.5)));
            assertArrayEquals(
                    new float[] {1.5f, 2f},
                    parameters.get("p0").getArray().getGradient().toFloatArray(),
                    1e-6f);
        }
    }

    @Test
    void rejectsNonPositiveMaximum() {
        try (NDManager scope = manager.newSubManager()) {
            Map<String, Parameter> parameters = withGradients(scope, cases.get(0).get("grads"));
            IllegalArgumentException error =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> GradientClipping.clipGradNorm(parameters, 0.0));
            assertEquals("max norm must be > 0, got 0.0", error.getMessage());
        }
    }
}
