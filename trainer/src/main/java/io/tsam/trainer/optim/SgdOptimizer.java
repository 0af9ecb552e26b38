package io.tsam.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Map;

/**
 * SGD with momentum and L2 weight decay, as {@code torch.optim.SGD} (dampening 0, no Nesterov).
 *
 * <p>Per parameter {@code w} with gradient {@code g}: {@code d = g + wd * w} (wd is 0 where {@link
 * WeightDecayPolicy} excludes the parameter); {@code buf = d} on the first step, else {@code buf =
 * momentum * buf + d}; {@code w -= lr * buf}. The state holds {@code momentum_buffer.<name>}.
 */
public final class SgdOptimizer extends AbstractOptimizer {

    /** The buffer name in state keys, as in PyTorch's SGD state. */
    public static final String MOMENTUM_BUFFER = "momentum_buffer";

    private final double momentum;
    private final double weightDecay;

    /**
     * Creates the optimizer.
     *
     * @param parameters PyTorch name to parameter; those not requiring a gradient are ignored
     * @param momentum in [0, 1)
     * @param weightDecay >= 0
     */
    public SgdOptimizer(Map<String, Parameter> parameters, double momentum, double weightDecay) {
        super("SGD", List.of(MOMENTUM_BUFFER), parameters);
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException(
                    "weight decay must be a finite number >= 0, got " + weightDecay);
        }
        this.momentum = momentum;
        this.weightDecay = weightDecay;
    }

    @Override
    NDArray[] update(
            NDArray weight, NDArray grad, NDArray[] buffers, double lr, boolean decays, long step) {
        // Scalars go in as float, as PyTorch's kernels cast them: a double would make a 0-dim
        // parameter's result float64.
        NDArray direction =
                decays && weightDecay != 0 ? grad.add(weight.mul((float) weightDecay)) : grad;
        NDArray buffer;
        if (buffers == null) {
            buffer = direction.duplicate();
        } else {
            buffer = buffers[0].muli((float) momentum).addi(direction);
        }
        weight.subi(buffer.mul((float) lr));
        return buffers == null ? new NDArray[] {buffer} : buffers;
    }
}
