package io.tsam.config;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * The {@code optimizer_param} section: optimizer and learning-rate schedule.
 *
 * @param optimizer {@code optimizer}: {@code sgd} or {@code adamw}
 * @param lr {@code lr}: base learning rate, > 0
 * @param momentum {@code momentum}: SGD momentum, in [0, 1)
 * @param weightDecay {@code weight_decay}: >= 0
 * @param lrScheduler {@code lr_scheduler}: {@code step} or {@code cosine}
 * @param lrSteps {@code lr_steps}: epochs at which the step schedule decays the rate, strictly
 *     increasing, each >= 1
 * @param lrDecay {@code lr_decay}: the step schedule's factor, in (0, 1]
 * @param lrFactors {@code lr_factors}: when not empty, the step schedule's rate after step {@code
 *     i} is {@code lr * lr_factors[i]} instead of {@code lr * lr_decay^(i+1)} (TSAM's {@code
 *     lr_decay} pairs); one positive factor per step
 * @param warmupEpochs {@code warmup_epochs}: epochs of linear warm-up before the schedule, >= 0
 * @param minLr {@code min_lr}: the cosine schedule's final rate, in [0, lr]
 */
public record OptimizerConfig(
        OptimizerType optimizer,
        double lr,
        double momentum,
        double weightDecay,
        LrScheduler lrScheduler,
        List<Integer> lrSteps,
        double lrDecay,
        List<Double> lrFactors,
        int warmupEpochs,
        double minLr) {
    static final String SECTION = "optimizer_param";

    public OptimizerConfig {
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(lrScheduler, "lrScheduler");
        lrSteps = List.copyOf(lrSteps);
        lrFactors = List.copyOf(lrFactors);
        Check.positive(SECTION + ".lr", lr);
        Check.inRange(SECTION + ".momentum", momentum, 0, 1, false);
        Check.nonNegative(SECTION + ".weight_decay", weightDecay);
        for (int i = 0; i < lrSteps.size(); i++) {
            int previous = i == 0 ? 0 : lrSteps.get(i - 1);
            if (lrSteps.get(i) <= previous) {
                throw ConfigException.invalidValue(
                        null,
                        SECTION + ".lr_steps",
                        "expected strictly increasing epochs >= 1",
                        lrSteps);
            }
        }
        Check.inRangeOpenLow(SECTION + ".lr_decay", lrDecay, 0, 1);
        if (!lrFactors.isEmpty() && lrFactors.size() != lrSteps.size()) {
            throw ConfigException.invalidValue(
                    null,
                    SECTION + ".lr_factors",
                    "expected one factor per lr_steps entry (" + lrSteps.size() + ")",
                    lrFactors);
        }
        for (int i = 0; i < lrFactors.size(); i++) {
            Check.positive(SECTION + ".lr_factors[" + i + "]", lrFactors.get(i));
        }
        Check.atLeast(SECTION + ".warmup_epochs", warmupEpochs, 0);
        Check.nonNegative(SECTION + ".min_lr", minLr);
        if (minLr > lr) {
            throw ConfigException.invalidValue(
                    null, SECTION + ".min_lr", "expected a number <= lr (" + lr + ")", minLr);
        }
    }

    /** The defaults: SGD, lr 0.01, momentum 0.9, decay 5e-4, steps at 10 and 20 by 0.1. */
    public static OptimizerConfig defaults() {
        return new OptimizerConfig(
                OptimizerType.SGD,
                0.01,
                0.9,
                5e-4,
                LrScheduler.STEP,
                List.of(10, 20),
                0.1,
                List.of(),
                0,
                0.0);
    }

    /** The factor of {@code lr} once {@code steps} of the step schedule's epochs have passed. */
    public double factorAfter(int steps) {
        if (steps == 0) {
            return 1.0;
        }
        return lrFactors.isEmpty() ? Math.pow(lrDecay, steps) : lrFactors.get(steps - 1);
    }

    static OptimizerConfig read(JsonSection s) {
        OptimizerConfig d = defaults();
        OptimizerConfig result =
                new OptimizerConfig(
                        s.choice(
                                "optimizer",
                                d.optimizer(),
                                List.of(OptimizerType.values()),
                                OptimizerType::jsonName),
                        s.number("lr", d.lr()),
                        s.number("momentum", d.momentum()),
                        s.number("weight_decay", d.weightDecay()),
                        s.choice(
                                "lr_scheduler",
                                d.lrScheduler(),
                                List.of(LrScheduler.values()),
                                LrScheduler::jsonName),
                        s.integers("lr_steps", d.lrSteps()),
                        s.number("lr_decay", d.lrDecay()),
                        s.numbers("lr_factors", d.lrFactors()),
                        s.integer("warmup_epochs", d.warmupEpochs()),
                        s.number("min_lr", d.minLr()));
        s.finish();
        return result;
    }

    ObjectNode toJsonNode() {
        ObjectNode node = ConfigJson.newObject();
        node.put("optimizer", optimizer.jsonName());
        node.set("lr", ConfigJson.number(lr));
        node.set("momentum", ConfigJson.number(momentum));
        node.set("weight_decay", ConfigJson.number(weightDecay));
        node.put("lr_scheduler", lrScheduler.jsonName());
        ArrayNode steps = node.putArray("lr_steps");
        lrSteps.forEach(steps::add);
        node.set("lr_decay", ConfigJson.number(lrDecay));
        ArrayNode factors = node.putArray("lr_factors");
        lrFactors.forEach(f -> factors.add(ConfigJson.number(f)));
        node.put("warmup_epochs", warmupEpochs);
        node.set("min_lr", ConfigJson.number(minLr));
        return node;
    }
}
