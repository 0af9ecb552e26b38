package io.tsam.trainer.optim;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.OptionalDouble;

/**
 * The reference script's network, written with DJL ops over hand-built parameters: a per-channel
 * affine as "BN", a 1x1 conv as a matrix product, tanh, and a linear head.
 */
final class TinyModel implements AutoCloseable {

    static final String BN_WEIGHT = "base_model.bn1.weight";
    static final String BN_BIAS = "base_model.bn1.bias";
    static final String CONV_WEIGHT = "base_model.conv1.weight";
    static final String FC_WEIGHT = "new_fc.weight";
    static final String FC_BIAS = "new_fc.bias";

    /** Not trained, as BatchNorm's running statistics: every optimizer must leave it alone. */
    static final String RUNNING_MEAN = "base_model.bn1.running_mean";

    /** One training step's figures. */
    record StepResult(float loss, double gradNorm) {}

    private final NDManager manager;
    private final NDArray x;
    private final NDArray labels;
    private final LabelSmoothingCrossEntropy criterion;
    private final LinkedHashMap<String, Parameter> parameters = new LinkedHashMap<>();

    /**
     * Builds the model from the fixture's {@code model} node, in a sub-manager of {@code parent}.
     */
    TinyModel(NDManager parent, JsonNode model) {
        manager = parent.newSubManager();
        x = Reference.array(manager, model.get("x"));
        labels = manager.create(Reference.ints(model.get("labels")));
        criterion = new LabelSmoothingCrossEntropy(model.get("smoothing").asDouble());
        JsonNode initial = model.get("initial");
        for (JsonNode name : model.get("names")) {
            NDArray array = Reference.array(manager, initial.get(name.asText()));
            parameters.put(name.asText(), parameter(name.asText(), array, true));
            if (name.asText().equals(BN_BIAS)) {
                NDArray mean = manager.create(new float[] {0.5f, -0.5f, 0.25f, 1f});
                parameters.put(RUNNING_MEAN, parameter(RUNNING_MEAN, mean, false));
            }
        }
    }

    static Parameter parameter(String name, NDArray array, boolean trained) {
        Parameter parameter =
                Parameter.builder()
                        .setName(name)
                        .setType(trained ? Parameter.Type.WEIGHT : Parameter.Type.RUNNING_MEAN)
                        .optArray(array)
                        .optRequiresGrad(trained)
                        .build();
        array.setRequiresGradient(trained);
        return parameter;
    }

    LinkedHashMap<String, Parameter> parameters() {
        return parameters;
    }

    NDArray array(String name) {
        return parameters.get(name).getArray();
    }

    /** Zero the gradients, forward, loss, backward, clip, step: the order of the PyTorch script. */
    StepResult trainStep(TsamOptimizer optimizer, double lr, OptionalDouble clip) {
        optimizer.zeroGrad();
        float loss;
        try (NDManager scope = manager.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            scope.tempAttachAll(x, labels);
            NDArray square = array(CONV_WEIGHT).reshape(4, 4);
            square.attach(scope);
            NDArray conv = square.transpose();
            NDArray fc = array(FC_WEIGHT).transpose();
            fc.attach(scope);
            NDArray hidden = x.mul(array(BN_WEIGHT)).add(array(BN_BIAS)).matMul(conv).tanh();
            NDArray logits = hidden.matMul(fc).add(array(FC_BIAS));
            NDArray value = criterion.loss(logits, labels);
            collector.backward(value);
            loss = value.getFloat();
        }
        double norm = GradientClipping.clipGradNorm(parameters, clip);
        optimizer.step(lr);
        return new StepResult(loss, norm);
    }

    /** A copy of a parameter's values. */
    float[] values(String name) {
        return array(name).toFloatArray();
    }

    /** How many arrays the model's manager and its sub-managers hold. */
    int liveArrays() {
        return manager.getManagedArrays().size();
    }

    @Override
    public void close() {
        manager.close();
    }
}
