package io.tsam.trainer.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import io.tsam.config.OptimizerConfig;
import java.util.Map;

/**
 * An optimizer with {@code torch.optim} semantics whose state is ours to save and resume.
 *
 * <p>It updates the parameters' arrays in place, outside autograd, so they keep requiring
 * gradients. Parameters are keyed by their PyTorch names; those whose {@link
 * Parameter#requiresGradient()} is false (BatchNorm running statistics) are ignored. Weight decay
 * applies only where {@link WeightDecayPolicy#appliesTo} says so.
 *
 * <p>The state is a flat map: {@value #STEP_KEY} (an int64 scalar, the number of steps taken) plus
 * one entry per buffer and parameter named {@code <buffer>.<parameter name>}, e.g. {@code
 * momentum_buffer.new_fc.weight} or {@code exp_avg_sq.new_fc.bias}. Before the first step there are
 * no buffers, as in PyTorch.
 *
 * <p>The optimizer owns the native memory of its state: close it when training ends.
 */
public interface TsamOptimizer extends AutoCloseable {

    /** The state key of the step count. */
    String STEP_KEY = "step";

    /**
     * Creates the optimizer named by {@code optimizer_param}.
     *
     * <p>{@code sgd} is {@link SgdOptimizer} with the config's momentum and weight decay; {@code
     * adamw} is {@link AdamWOptimizer} with its weight decay (AdamW uses no momentum setting). The
     * learning rate is not part of the optimizer: pass it to every {@link #step(double)}, from
     * {@link LrSchedule}.
     *
     * @param config the {@code optimizer_param} section
     * @param parameters PyTorch name to parameter, in the model's order; every parameter that
     *     requires a gradient must be initialised
     * @return a new optimizer, owned by the caller
     */
    static TsamOptimizer create(OptimizerConfig config, Map<String, Parameter> parameters) {
        return switch (config.optimizer()) {
            case SGD -> new SgdOptimizer(parameters, config.momentum(), config.weightDecay());
            case ADAMW -> new AdamWOptimizer(parameters, config.weightDecay());
        };
    }

    /**
     * Updates every parameter from its current gradient.
     *
     * @param lr the learning rate of this step, >= 0
     * @throws IllegalArgumentException if {@code lr} is negative or not finite
     * @throws IllegalStateException if the optimizer is closed
     */
    void step(double lr);

    /**
     * Sets the gradients of the optimized parameters to zero.
     *
     * <p>Backward passes add to the gradients, as in PyTorch; call this before each one.
     *
     * @throws IllegalStateException if the optimizer is closed
     */
    void zeroGrad();

    /**
     * Returns how many steps have been taken, counting those of a loaded state.
     *
     * @return the step count
     */
    long steps();

    /**
     * Returns the state to save.
     *
     * <p>The arrays belong to the optimizer: do not close or modify them, and read them (or copy
     * them) before the next {@link #step(double)}, which updates the buffers in place, or the next
     * call of this method, which replaces the {@value #STEP_KEY} scalar.
     *
     * @return an unmodifiable map, {@value #STEP_KEY} first, then the buffers in parameter order
     * @throws IllegalStateException if the optimizer is closed
     */
    Map<String, NDArray> state();

    /**
     * Replaces the state with a saved one, so that training continues exactly where it stopped.
     *
     * <p>The arrays are copied to the parameters' device; the caller keeps ownership of the map's
     * arrays. Nothing changes when the state does not match.
     *
     * @param state a map as {@link #state()} returns, from an optimizer of the same type over
     *     parameters with the same names and shapes
     * @throws IllegalArgumentException if keys are missing or unexpected, or an array has the wrong
     *     shape or data type; the message lists every mismatch
     * @throws IllegalStateException if the optimizer is closed
     */
    void loadState(Map<String, NDArray> state);

    /** Releases the state's native memory; a second call does nothing. */
    @Override
    void close();
}
