package io.tsam.trainer.optim;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class WeightDecayPolicyTest {

    @Test
    void convAndLinearWeightsDecay() {
        assertTrue(WeightDecayPolicy.appliesTo("base_model.conv1.weight", new Shape(64, 3, 7, 7)));
        assertTrue(
                WeightDecayPolicy.appliesTo(
                        "base_model.layer1.0.conv1.net.weight", new Shape(64, 64, 1, 1)));
        assertTrue(WeightDecayPolicy.appliesTo("new_fc.weight", new Shape(400, 2048)));
    }

    @Test
    void normalisationAndBiasesDoNot() {
        assertFalse(WeightDecayPolicy.appliesTo("base_model.bn1.weight", new Shape(64)));
        assertFalse(WeightDecayPolicy.appliesTo("base_model.bn1.bias", new Shape(64)));
        assertFalse(WeightDecayPolicy.appliesTo("new_fc.bias", new Shape(400)));
        assertFalse(WeightDecayPolicy.appliesTo("base_model.conv1.weights", new Shape(2, 2)));
    }
}
