package io.tsam.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import io.tsam.config.LrScheduler;
import io.tsam.config.OptimizerConfig;
import io.tsam.config.OptimizerType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TsamOptimizerTest {

    private static NDManager manager;
    private static JsonNode reference;

    @BeforeAll
    static void setUp() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        reference = Reference.load();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
    }

    /** The fixture's run for an optimizer type: its node and the config that reproduces it. */
    private static JsonNode run(OptimizerType type) {
        return reference.get(type == OptimizerType.SGD ? "sgd" : "adamw");
    }

    private static OptimizerConfig config(OptimizerType type) {
        JsonNode run = run(type);
        double momentum = type == OptimizerType.SGD ? run.get("momentum").asDouble() : 0.9;
        return new OptimizerConfig(
                type,
                run.get("steps").get(0).get("lr").asDouble(),
                momentum,
                run.get("weight_decay").asDouble(),
                LrScheduler.STEP,
                List.of(10, 20),
                0.1,
                List.of(),
                0,
                0.0);
    }

    private static OptionalDouble clip(OptimizerType type) {
        JsonNode clip = run(type).get("clip");
        return clip == null ? OptionalDouble.empty() : OptionalDouble.of(clip.asDouble());
    }

    private static double lr(OptimizerType type, int step) {
        return run(type).get("steps").get(step).get("lr").asDouble();
    }

    @ParameterizedTest
    @EnumSource(OptimizerType.class)
    void fiveStepsMatchPyTorch(OptimizerType type) {
        JsonNode steps = run(type).get("steps");
        try (TinyModel model = new TinyModel(manager, reference.get("model"));
                TsamOptimizer optimizer = TsamOptimizer.create(config(type), model.parameters())) {
            float[] runningMean = model.values(TinyModel.RUNNING_MEAN);
            for (int step = 0; step < steps.size(); step++) {
                JsonNode expected = steps.get(step);
                TinyModel.StepResult result =
                        model.trainStep(optimizer, lr(type, step), clip(type));
                String label = type + " step " + (step + 1);
                Reference.assertClose(
                        expected.get("loss").asDouble(), result.loss(), label + " loss");
                Reference.assertClose(
                        expected.get("grad_norm").asDouble(),
                        result.gradNorm(),
                        label + " grad norm");
                JsonNode params = expected.get("params");
                params.fieldNames()
                        .forEachRemaining(
                                name ->
                                        Reference.assertClose(
                                                params.get(name),
                                                model.array(name),
                                                label + " " + name));
            }
            assertEquals(steps.size(), optimizer.steps());
            assertArrayEquals(runningMean, model.values(TinyModel.RUNNING_MEAN), 0f);
        }
    }

    @Test
    void sgdClipsOnlyWhereTheReferenceDid() {
        // The fixture is only a clipping test if some steps clip and some do not.
        double maxNorm = run(OptimizerType.SGD).get("clip").asDouble();
        int clipped = 0;
        for (JsonNode step : run(OptimizerType.SGD).get("steps")) {
            clipped += step.get("grad_norm").asDouble() > maxNorm ? 1 : 0;
        }
        assertTrue(clipped > 0 && clipped < 5, "steps clipped: " + clipped);
    }

    @ParameterizedTest
    @EnumSource(OptimizerType.class)
    void stateNamesEveryTrainedParameter(OptimizerType type) {
        try (TinyModel model = new TinyModel(manager, reference.get("model"));
                TsamOptimizer optimizer = TsamOptimizer.create(config(type), model.parameters())) {
            Map<String, NDArray> before = optimizer.state();
            assertEquals(List.of(TsamOptimizer.STEP_KEY), List.copyOf(before.keySet()));
            assertEquals(0L, before.get(TsamOptimizer.STEP_KEY).getLong());
            model.trainStep(optimizer, lr(type, 0), clip(type));

            Map<String, NDArray> state = optimizer.state();
            List<String> expected = new ArrayList<>();
            expected.add(TsamOptimizer.STEP_KEY);
            List<String> buffers =
                    type == OptimizerType.SGD
                            ? List.of(SgdOptimizer.MOMENTUM_BUFFER)
                            : List.of(AdamWOptimizer.EXP_AVG, AdamWOptimizer.EXP_AVG_SQ);
            for (JsonNode name : reference.get("model").get("names")) {
                for (String buffer : buffers) {
                    expected.add(buffer + "." + name.asText());
                }
            }
            assertEquals(expected, List.copyOf(state.keySet()));
            NDArray step = state.get(TsamOptimizer.STEP_KEY);
            assertEquals(DataType.INT64, step.getDataType());
            assertEquals(1L, step.getLong());
            assertEquals(
                    new Shape(3, 4),
                    state.get(buffers.get(0) + "." + TinyModel.FC_WEIGHT).getShape());
            Class<?> expectedClass =
                    type == OptimizerType.SGD ? SgdOptimizer.class : AdamWOptimizer.class;
            assertInstanceOf(expectedClass, optimizer);
        }
    }

    @ParameterizedTest
    @EnumSource(OptimizerType.class)
    void resumingFromSavedStateContinuesExactly(OptimizerType type) {
        try (TinyModel straight = new TinyModel(manager, reference.get("model"));
                TinyModel resumed = new TinyModel(manager, reference.get("model"));
                NDManager saved = manager.newSubManager()) {
            try (TsamOptimizer optimizer =
                    TsamOptimizer.create(config(type), straight.parameters())) {
                for (int step = 0; step < 5; step++) {
                    straight.trainStep(optimizer, lr(type, step), clip(type));
                }
            }
            Map<String, NDArray> checkpoint = new LinkedHashMap<>();
            try (TsamOptimizer first = TsamOptimizer.create(config(type), resumed.parameters())) {
                for (int step = 0; step < 3; step++) {
                    resumed.trainStep(first, lr(type, step), clip(type));
                }
                // Through host memory, as a checkpoint file would take it.
                first.state().forEach((key, value) -> checkpoint.put(key, copy(saved, value)));
            }
            try (TsamOptimizer second = TsamOptimizer.create(config(type), resumed.parameters())) {
                second.loadState(checkpoint);
                // The optimizer keeps its own copies: the caller may free the loaded arrays.
                saved.close();
                assertEquals(3, second.steps());
                for (int step = 3; step < 5; step++) {
                    resumed.trainStep(second, lr(type, step), clip(type));
                }
                assertEquals(5, second.steps());
            }
            for (String name : straight.parameters().keySet()) {
                Reference.assertIdentical(straight.array(name), resumed.array(name), name);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(OptimizerType.class)
    void trainingLeavesNoArraysBehind(OptimizerType type) {
        // The state manager is a sub-manager of the parameters' manager, so this also catches
        // temporaries that would pile up in the optimizer's state.
        try (TinyModel model = new TinyModel(manager, reference.get("model"));
                TsamOptimizer optimizer = TsamOptimizer.create(config(type), model.parameters())) {
            for (int step = 0; step < 2; step++) {
                model.trainStep(optimizer, lr(type, step), clip(type));
                optimizer.state();
            }
            int live = model.liveArrays();
            for (int step = 2; step < 5; step++) {
                model.trainStep(optimizer, lr(type, step), clip(type));
                optimizer.state();
            }
            assertEquals(live, model.liveArrays());
        }
    }

    private static NDArray copy(NDManager target, NDArray value) {
        if (value.getDataType() == DataType.INT64) {
            return target.create(value.toLongArray(), value.getShape());
        }
        return target.create(value.toFloatArray(), value.getShape());
    }

    @Test
    void loadingAnotherOptimizersStateFailsAndChangesNothing() {
        try (TinyModel model = new TinyModel(manager, reference.get("model"));
                TsamOptimizer sgd =
                        TsamOptimizer.create(config(OptimizerType.SGD), model.parameters());
                TsamOptimizer adamw =
                        TsamOptimizer.create(config(OptimizerType.ADAMW), model.parameters())) {
            model.trainStep(sgd, 0.1, OptionalDouble.empty());
            model.trainStep(adamw, 0.01, OptionalDouble.empty());
            model.trainStep(adamw, 0.01, OptionalDouble.empty());
            float[] expAvg = adamw.state().get("exp_avg." + TinyModel.FC_BIAS).toFloatArray();

            IllegalArgumentException error =
                    assertThrows(
                            IllegalArgumentException.class, () -> adamw.loadState(sgd.state()));
            assertTrue(
                    error.getMessage().contains("missing [exp_avg.base_model.bn1.weight"),
                    error.getMessage());
            assertTrue(
                    error.getMessage()
                            .contains("unexpected [momentum_buffer.base_model.bn1.weight"),
                    error.getMessage());
            assertEquals(2, adamw.steps());
            assertArrayEquals(
                    expAvg, adamw.state().get("exp_avg." + TinyModel.FC_BIAS).toFloatArray(), 0f);
        }
    }

    @Test
    void loadingWrongShapesOrStepFails() {
        try (TinyModel model = new TinyModel(manager, reference.get("model"));
                TsamOptimizer sgd =
                        TsamOptimizer.create(config(OptimizerType.SGD), model.parameters());
                NDManager scope = manager.newSubManager()) {
            model.trainStep(sgd, 0.1, OptionalDouble.empty());
            Map<String, NDArray> state = new LinkedHashMap<>(sgd.state());
            String key = SgdOptimizer.MOMENTUM_BUFFER + "." + TinyModel.FC_WEIGHT;
            state.put(key, scope.zeros(new Shape(4, 3)));
            IllegalArgumentException shape =
                    assertThrows(IllegalArgumentException.class, () -> sgd.loadState(state));
            assertTrue(
                    shape.getMessage()
                            .contains(key + " is (4, 3) float32, expected (3, 4) float32"),
                    shape.getMessage());

            state.remove(TsamOptimizer.STEP_KEY);
            IllegalArgumentException noStep =
                    assertThrows(IllegalArgumentException.class, () -> sgd.loadState(state));
            assertTrue(noStep.getMessage().contains("no \"step\""), noStep.getMessage());

            // A state at step 0 has no buffers: buffers with it would change the first step.
            Map<String, NDArray> stepZero = new LinkedHashMap<>(sgd.state());
            stepZero.put(TsamOptimizer.STEP_KEY, scope.create(0L));
            IllegalArgumentException zero =
                    assertThrows(IllegalArgumentException.class, () -> sgd.loadState(stepZero));
            assertTrue(
                    zero.getMessage().contains("a state at step 0 has no buffers"),
                    zero.getMessage());
        }
    }

    @Test
    void loadingStepZeroStartsAfresh() {
        try (TinyModel model = new TinyModel(manager, reference.get("model"));
                TsamOptimizer sgd =
                        TsamOptimizer.create(config(OptimizerType.SGD), model.parameters());
                NDManager scope = manager.newSubManager()) {
            model.trainStep(sgd, 0.1, OptionalDouble.empty());
            sgd.loadState(Map.of(TsamOptimizer.STEP_KEY, scope.create(0L)));
            assertEquals(0, sgd.steps());
            assertEquals(List.of(TsamOptimizer.STEP_KEY), List.copyOf(sgd.state().keySet()));
        }
    }

    @Test
    void loadedStateOwnsItsMemoryOnceTheCallersArraysAreGone() throws InterruptedException {
        // Regression: loadState kept arrays sharing the caller's storage (DJL's toDevice with copy
        // on the same device does not copy); once the caller's arrays were closed and their
        // direct buffers collected, the momentum read freed memory and libtorch crashed.
        float[] momentum = {0.25f, -0.5f};
        NDArray array = manager.create(new float[] {1f, -2f}, new Shape(1, 2));
        Map<String, Parameter> parameters =
                Map.of("fc.weight", TinyModel.parameter("fc.weight", array, true));
        try (TsamOptimizer optimizer = new SgdOptimizer(parameters, 0.5, 0.0)) {
            try (NDManager caller = manager.newSubManager()) {
                optimizer.loadState(
                        Map.of(
                                TsamOptimizer.STEP_KEY,
                                caller.create(3L),
                                SgdOptimizer.MOMENTUM_BUFFER + ".fc.weight",
                                caller.create(momentum, new Shape(1, 2))));
            }
            for (int i = 0; i < 5; i++) {
                System.gc();
                // Fresh direct buffers of the same size reuse whatever memory was released.
                manager.create(new float[] {9f, 9f}).close();
                Thread.sleep(10);
            }
            assertArrayEquals(
                    momentum,
                    optimizer
                            .state()
                            .get(SgdOptimizer.MOMENTUM_BUFFER + ".fc.weight")
                            .toFloatArray(),
                    0f);
        } finally {
            array.close();
        }
    }

    @Test
    void zeroGradClearsNonFiniteGradients() {
        try (NDManager scope = manager.newSubManager()) {
            NDArray array = scope.create(new float[] {1f, 2f, 3f});
            Map<String, Parameter> parameters = Map.of("w", TinyModel.parameter("w", array, true));
            try (TsamOptimizer optimizer = new SgdOptimizer(parameters, 0.9, 0.0);
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray poison = scope.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1f});
                collector.backward(array.mul(poison).sum());
                assertTrue(Float.isNaN(array.getGradient().toFloatArray()[0]));
                optimizer.zeroGrad();
                assertArrayEquals(new float[3], array.getGradient().toFloatArray(), 0f);
            }
        }
    }

    @Test
    void sgdStepIsHandChecked() {
        // w = [1, -2], g = [0.5, 0.5] (loss = 0.5 * sum(w)), lr 0.1, momentum 0.5, wd 0.1 on a
        // rank-2 weight: d = g + 0.1 w = [0.6, 0.3]; step 1: buf = d, w = [0.94, -2.03];
        // step 2: d = [0.594, 0.297], buf = 0.5 d1 + d2 = [0.894, 0.447], w = [0.8506, -2.0747].
        try (NDManager scope = manager.newSubManager()) {
            NDArray array = scope.create(new float[] {1f, -2f}, new Shape(1, 2));
            Map<String, Parameter> parameters =
                    Map.of("fc.weight", TinyModel.parameter("fc.weight", array, true));
            try (TsamOptimizer optimizer = new SgdOptimizer(parameters, 0.5, 0.1)) {
                for (int i = 0; i < 2; i++) {
                    optimizer.zeroGrad();
                    try (GradientCollector collector =
                            Engine.getInstance().newGradientCollector()) {
                        collector.backward(array.sum().mul(0.5f));
                    }
                    optimizer.step(0.1);
                }
            }
            assertArrayEquals(new float[] {0.8506f, -2.0747f}, array.toFloatArray(), 1e-6f);
            assertTrue(array.hasGradient());
        }
    }

    @Test
    void closedOptimizerRefusesWorkAndClosesOnce() {
        try (TinyModel model = new TinyModel(manager, reference.get("model"))) {
            TsamOptimizer optimizer =
                    TsamOptimizer.create(config(OptimizerType.ADAMW), model.parameters());
            optimizer.close();
            optimizer.close();
            assertThrows(IllegalStateException.class, () -> optimizer.step(0.1));
            assertThrows(IllegalStateException.class, optimizer::state);
            assertThrows(IllegalStateException.class, optimizer::zeroGrad);
        }
    }

    @Test
    void rejectsBadInput() {
        try (TinyModel model = new TinyModel(manager, reference.get("model"));
                TsamOptimizer optimizer =
                        TsamOptimizer.create(config(OptimizerType.SGD), model.parameters())) {
            IllegalArgumentException lr =
                    assertThrows(IllegalArgumentException.class, () -> optimizer.step(-0.1));
            assertTrue(lr.getMessage().contains("-0.1"), lr.getMessage());
            assertThrows(IllegalArgumentException.class, () -> optimizer.step(Double.NaN));
        }
        Map<String, Parameter> frozen = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            frozen.put("m", TinyModel.parameter("m", scope.zeros(new Shape(2)), false));
            IllegalArgumentException none =
                    assertThrows(
                            IllegalArgumentException.class, () -> new AdamWOptimizer(frozen, 0));
            assertTrue(none.getMessage().contains("[m]"), none.getMessage());
        }
    }
}
