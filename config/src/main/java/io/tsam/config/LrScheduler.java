package io.tsam.config;

/** The learning-rate schedule named by {@code optimizer_param.lr_scheduler}. */
public enum LrScheduler {
    /** Multiply the rate by {@code lr_decay} at each epoch listed in {@code lr_steps}. */
    STEP("step"),
    /** Cosine annealing from {@code lr} down to {@code min_lr} over the training epochs. */
    COSINE("cosine");

    private final String jsonName;

    LrScheduler(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in the config file. */
    public String jsonName() {
        return jsonName;
    }
}
