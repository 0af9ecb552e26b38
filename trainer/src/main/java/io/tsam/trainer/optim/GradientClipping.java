package io.tsam.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Global-norm gradient clipping, as {@code torch.nn.utils.clip_grad_norm_(params, max_norm)}.
 *
 * <p>The norm is the L2 norm of all gradients together, as if concatenated into one vector. When
 * {@code max_norm / (norm + 1e-6) < 1}, every gradient is multiplied by that factor, in place; a
 * non-finite norm makes the factor NaN and the gradients NaN, as in PyTorch.
 */
public final class GradientClipping {

    private static final float NORM_EPSILON = 1e-6f;

    private GradientClipping() {}

    /**
     * Clips the gradients when {@code training_param.clip_gradient} is set, and returns their norm.
     *
     * @param parameters PyTorch name to parameter; those not requiring a gradient are ignored
     * @param maxNorm the maximum norm, or empty to only measure the norm
     * @return the total gradient norm before clipping, for the training log
     */
    public static double clipGradNorm(Map<String, Parameter> parameters, OptionalDouble maxNorm) {
        return clip(parameters, maxNorm.isPresent() ? maxNorm.getAsDouble() : Double.NaN);
    }

    /**
     * Clips the gradients to a maximum total norm and returns their norm.
     *
     * @param parameters PyTorch name to parameter; those not requiring a gradient are ignored
     * @param maxNorm the maximum norm, > 0
     * @return the total gradient norm before clipping, for the training log
     */
    public static double clipGradNorm(Map<String, Parameter> parameters, double maxNorm) {
        if (!(maxNorm > 0)) {
            throw new IllegalArgumentException("max norm must be > 0, got " + maxNorm);
        }
        return clip(parameters, maxNorm);
    }

    /** Measures and, unless {@code maxNorm} is NaN, clips. */
    private static double clip(Map<String, Parameter> parameters, double maxNorm) {
        List<NDArray> arrays = new ArrayList<>();
        for (Parameter parameter : parameters.values()) {
            if (parameter.requiresGradient()) {
                arrays.add(parameter.getArray());
            }
        }
        if (arrays.isEmpty()) {
            return 0;
        }
        try (NDManager scope = arrays.get(0).getManager().newSubManager()) {
            List<NDArray> grads = new ArrayList<>();
            NDList norms = new NDList();
            for (NDArray array : arrays) {
                NDArray grad = array.getGradient();
                grad.attach(scope);
                grads.add(grad);
                norms.add(grad.norm());
            }
            // The norm of the per-gradient norms, as PyTorch computes it.
            float norm = NDArrays.stack(norms).norm().getFloat();
            if (!Double.isNaN(maxNorm)) {
                // float32 arithmetic, as PyTorch does it on the norm tensor.
                float factor = (1f / (norm + NORM_EPSILON)) * (float) maxNorm;
                if (!(factor >= 1f)) {
                    for (NDArray grad : grads) {
                        grad.muli(factor);
                    }
                }
            }
            return norm;
        }
    }
}
