package io.tsam.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;

/**
 * Adam with decoupled weight decay, as {@code torch.optim.AdamW} with betas (0.9, 0.999), eps 1e-8
 * and no AMSGrad.
 *
 * <p>Per parameter {@code w} with gradient {@code g} at step {@code t} (1-based): {@code w *= 1 -
 * lr * wd} (wd is 0 where {@link WeightDecayPolicy} excludes the parameter); {@code m = b1 * m + (1
 * - b1) * g}; {@code v = b2 * v + (1 - b2) * g * g}; {@code w -= lr / (1 - b1^t) * m / (sqrt(v) /
 * sqrt(1 - b2^t) + eps)}. The state holds {@code exp_avg.<name>} and {@code exp_avg_sq.<name>}.
 */
public final class AdamWOptimizer extends AbstractOptimizer {

    /** The first-moment buffer name in state keys, as in PyTorch's AdamW state. */
    public static final String EXP_AVG = "exp_avg";

    /** The second-moment buffer name in state keys, as in PyTorch's AdamW state. */
    public static final String EXP_AVG_SQ = "exp_avg_sq";

    /** PyTorch's default first-moment decay. */
    public static final double BETA1 = 0.9;

    /** PyTorch's default second-moment decay. */
    public static final double BETA2 = 0.999;

    /** PyTorch's default denominator term. */
    public static final double EPSILON = 1e-8;

    private final double weightDecay;

    /**
     * Creates the optimizer.
     *
     * @param parameters PyTorch name to parameter; those not requiring a gradient are ignored
     * @param weightDecay >= 0
     */
    public AdamWOptimizer(Map<String, Parameter> parameters, double weightDecay) {
        super("AdamW", List.of(EXP_AVG, EXP_AVG_SQ), parameters);
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "weight decay must be a finite number >= 0, got " + weightDecay);
        }
        this.weightDecay = weightDecay;
    }

    @Override
    NDArray[] update(
            NDArray weight, NDArray grad, NDArray[] buffers, double lr, boolean decays, long step) {
        // Scalars are computed in double and go in as float, as PyTorch's kernels cast them.
        if (decays && weightDecay != 0) {
            weight.muli((float) (1 - lr * weightDecay));
        }
        NDArray[] moments =
                buffers != null ? buffers : new NDArray[] {weight.zerosLike(), weight.zerosLike()};
        NDArray expAvg = moments[0].muli((float) BETA1).addi(grad.mul((float) (1 - BETA1)));
        NDArray expAvgSq =
                moments[1].muli((float) BETA2).addi(grad.mul(grad).muli((float) (1 - BETA2)));
        double biasCorrection1 = 1 - Math.pow(BETA1, step);
        double biasCorrection2 = 1 - Math.pow(BETA2, step);
        // Same association as PyTorch: sqrt(v) / sqrt(bc2) + eps, not sqrt(v / bc2) + eps.
        NDArray denominator =
                expAvgSq.sqrt().divi((float) Math.sqrt(biasCorrection2)).addi((float) EPSILON);
        weight.subi(expAvg.div(denominator).muli((float) (lr / biasCorrection1)));
        return moments;
    }
}
