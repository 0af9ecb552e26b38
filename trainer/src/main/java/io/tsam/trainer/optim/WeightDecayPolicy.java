package io.tsam.trainer.optim;

import ai.djl.ndarray.types.Shape;

/**
 * Which parameters weight decay applies to: conv and linear weights only.
 *
 * <p>TSM's {@code get_optim_policies} puts BatchNorm weights and biases, and every bias, in groups
 * with {@code decay_mult = 0}; decaying them only pulls the normalisation's scale towards zero. A
 * conv or linear weight is a parameter whose PyTorch name ends in {@code weight} and whose rank is
 * at least 2 (a BatchNorm weight has rank 1).
 */
public final class WeightDecayPolicy {

    private WeightDecayPolicy() {}

    /**
     * Whether weight decay applies to a parameter.
     *
     * @param name the parameter's PyTorch name, e.g. {@code base_model.conv1.weight}
     * @param shape the parameter's shape
     * @return true for conv and linear weights
     */
    public static boolean appliesTo(String name, Shape shape) {
        boolean weight = name.equals("weight") || name.endsWith(".weight");
        return weight && shape.dimension() >= 2;
    }
}
