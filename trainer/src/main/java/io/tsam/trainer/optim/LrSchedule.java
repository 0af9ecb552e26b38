package io.tsam.trainer.optim;

import io.tsam.config.OptimizerConfig;
import java.util.Objects;

/**
 * The learning rate of every training iteration, from {@code optimizer_param}.
 *
 * <p>Iterations are numbered {@code t = epoch * iterationsPerEpoch + iteration} (all 0-based) over
 * {@code total = epochs * iterationsPerEpoch}; warm-up lasts {@code W = warmup_epochs *
 * iterationsPerEpoch} iterations.
 *
 * <ul>
 *   <li>{@code step}: {@code lr * lr_decay^n}, {@code n} the number of {@code lr_steps} {@code <=
 *       epoch}, so the decay takes effect from the first iteration of the listed (0-based) epoch,
 *       as TSM's {@code adjust_learning_rate};
 *   <li>{@code cosine}: {@code min_lr + (lr - min_lr) * (1 + cos(pi * p)) / 2} with {@code p = (t -
 *       W) / (total - W)}: {@code lr} on the first iteration after warm-up, approaching {@code
 *       min_lr} at the end;
 *   <li>warm-up: for {@code t < W} the rate above is multiplied by {@code (t + 1) / W}, rising
 *       linearly from {@code 1/W} of it on the first iteration to all of it on the last.
 * </ul>
 *
 * @param config the {@code optimizer_param} section
 * @param epochs {@code training_param.epochs}, greater than {@code warmup_epochs}
 * @param iterationsPerEpoch batches per epoch, >= 1
 */
public record LrSchedule(OptimizerConfig config, int epochs, int iterationsPerEpoch) {

    public LrSchedule {
        Objects.requireNonNull(config, "config");
        if (iterationsPerEpoch < 1) {
            throw new IllegalArgumentException(
                    "iterations per epoch must be >= 1, got " + iterationsPerEpoch);
        }
        if (epochs <= config.warmupEpochs()) {
            throw new IllegalArgumentException(
                    "training_param.epochs ("
                            + epochs
                            + ") must be greater than optimizer_param.warmup_epochs ("
                            + config.warmupEpochs()
                            + ")");
        }
    }

    /**
     * Returns the learning rate of one iteration.
     *
     * @param epoch 0-based, in [0, epochs)
     * @param iteration 0-based within the epoch, in [0, iterationsPerEpoch)
     * @return the rate to pass to {@link TsamOptimizer#step(double)}
     */
    public double lr(int epoch, int iteration) {
        if (epoch < 0 || epoch >= epochs) {
            throw new IllegalArgumentException(
                    "epoch must be in [0, " + epochs + "), got " + epoch);
        }
        if (iteration < 0 || iteration >= iterationsPerEpoch) {
            throw new IllegalArgumentException(
                    "iteration must be in [0, " + iterationsPerEpoch + "), got " + iteration);
        }
        long t = (long) epoch * iterationsPerEpoch + iteration;
        long warmup = (long) config.warmupEpochs() * iterationsPerEpoch;
        double rate =
                switch (config.lrScheduler()) {
                    case STEP -> stepRate(epoch);
                    case COSINE -> cosineRate(t, warmup);
                };
        return t < warmup ? rate * (t + 1) / warmup : rate;
    }

    private double stepRate(int epoch) {
        int decays = 0;
        for (int step : config.lrSteps()) {
            if (step <= epoch) {
                decays++;
            }
        }
        return config.lr() * config.factorAfter(decays);
    }

    private double cosineRate(long t, long warmup) {
        if (t < warmup) {
            return config.lr();
        }
        long total = (long) epochs * iterationsPerEpoch;
        double progress = (double) (t - warmup) / (total - warmup);
        double minLr = config.minLr();
        return minLr + (config.lr() - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }
}
