package io.tsam.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * The {@code training_param} section.
 *
 * @param epochs {@code epochs}: training epochs, >= 1
 * @param batchSize {@code batch_size}: clips per batch, >= 1
 * @param numWorkers {@code num_workers}: data-loading threads, >= 0 (0 loads on the training
 *     thread)
 * @param seed {@code seed}: seed for sampling, augmentation and initialisation
 * @param labelSmoothing {@code label_smoothing}: in [0, 1)
 * @param clipGradient {@code clip_gradient}: maximum global gradient norm, > 0; empty ({@code null}
 *     in the file) for no clipping
 * @param evalFreq {@code eval_freq}: validate every this many epochs, >= 1
 */
public record TrainingConfig(
        int epochs,
        int batchSize,
        int numWorkers,
        long seed,
        double labelSmoothing,
        OptionalDouble clipGradient,
        int evalFreq) {
    static final String SECTION = "training_param";

    public TrainingConfig {
        Objects.requireNonNull(clipGradient, "clipGradient");
        Check.atLeast(SECTION + ".epochs", epochs, 1);
        Check.atLeast(SECTION + ".batch_size", batchSize, 1);
        Check.atLeast(SECTION + ".num_workers", numWorkers, 0);
        Check.inRange(SECTION + ".label_smoothing", labelSmoothing, 0, 1, false);
        if (clipGradient.isPresent()) {
            Check.positive(SECTION + ".clip_gradient", clipGradient.getAsDouble());
        }
        Check.atLeast(SECTION + ".eval_freq", evalFreq, 1);
    }

    /**
     * The defaults: 25 epochs, batch 8, 2 workers, seed 0, no smoothing, clip at 20, eval each
     * epoch.
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(25, 8, 2, 0L, 0.0, OptionalDouble.of(20.0), 1);
    }

    static TrainingConfig read(JsonSection s) {
        TrainingConfig d = defaults();
        TrainingConfig result =
                new TrainingConfig(
                        s.integer("epochs", d.epochs()),
                        s.integer("batch_size", d.batchSize()),
                        s.integer("num_workers", d.numWorkers()),
                        s.longInteger("seed", d.seed()),
                        s.number("label_smoothing", d.labelSmoothing()),
                        s.optionalNumber("clip_gradient", d.clipGradient()),
                        s.integer("eval_freq", d.evalFreq()));
        s.finish();
        return result;
    }

    ObjectNode toJsonNode() {
        ObjectNode node = ConfigJson.newObject();
        node.put("epochs", epochs);
        node.put("batch_size", batchSize);
        node.put("num_workers", numWorkers);
        node.put("seed", seed);
        node.set("label_smoothing", ConfigJson.number(labelSmoothing));
        if (clipGradient.isPresent()) {
            node.set("clip_gradient", ConfigJson.number(clipGradient.getAsDouble()));
        } else {
            node.putNull("clip_gradient");
        }
        node.put("eval_freq", evalFreq);
        return node;
    }
}
