package io.tsam.config;

/** The optimizer named by {@code optimizer_param.optimizer}. */
public enum OptimizerType {
    /** Stochastic gradient descent with momentum and L2 weight decay, as TSM trains. */
    SGD("sgd"),
    /** Adam with decoupled weight decay. */
    ADAMW("adamw");

    private final String jsonName;

    OptimizerType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The value as written in the config file. */
    public String jsonName() {
        return jsonName;
    }
}
