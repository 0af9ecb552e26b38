package io.tsam.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import io.tsam.config.LabelNames;
import io.tsam.config.TsamConfig;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the JSON sidecar of a native checkpoint says about its weights (see {@link
 * NativeCheckpoint}).
 *
 * @param config the model file the weights were trained with
 * @param labels the class names, one per output of the head
 * @param epoch the number of training epochs completed, >= 0
 * @param metrics named results at that epoch (e.g. {@code top1}), finite numbers, in order
 * @param trainerState what the trainer needs to resume (step count, seed...), a JSON object
 */
public record CheckpointInfo(
        TsamConfig config,
        LabelNames labels,
        int epoch,
        Map<String, Double> metrics,
        Optional<JsonNode> trainerState) {

    public CheckpointInfo {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(labels, "labels");
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        Map<String, Double> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            String name = Objects.requireNonNull(metric.getKey(), "metric name");
            Double value = metric.getValue();
            if (name.isEmpty() || value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException(
                        "metric '"
                                + name
                                + "' = "
                                + value
                                + ": expected a name and a finite number");
            }
            copy.put(name, value);
        }
        metrics = Collections.unmodifiableMap(copy);
        Objects.requireNonNull(trainerState, "trainerState");
        trainerState.ifPresent(
                state -> {
                    if (!state.isObject()) {
                        throw new IllegalArgumentException(
                                "trainer state must be a JSON object, got " + state.getNodeType());
                    }
                });
        trainerState = trainerState.map(JsonNode::deepCopy);
    }

    /** A builder; config, labels and epoch are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The number of classes, one per label. */
    public int classes() {
        return labels.size();
    }

    /** A copy of the trainer state, so that the record stays unchanged. */
    @Override
    public Optional<JsonNode> trainerState() {
        return trainerState.map(JsonNode::deepCopy);
    }

    /** Builds a {@link CheckpointInfo}. */
    public static final class Builder {
        private TsamConfig config;
        private LabelNames labels;
        private Integer epoch;
        private Map<String, Double> metrics = Map.of();
        private JsonNode trainerState;

        private Builder() {}

        /** The model file the weights were trained with (required). */
        public Builder setConfig(TsamConfig config) {
            this.config = config;
            return this;
        }

        /** The class names (required); {@link LabelNames#indices} when there is no label file. */
        public Builder setLabels(LabelNames labels) {
            this.labels = labels;
            return this;
        }

        /** The number of training epochs completed (required). */
        public Builder setEpoch(int epoch) {
            this.epoch = epoch;
            return this;
        }

        /** Named results at that epoch; none by default. */
        public Builder optMetrics(Map<String, Double> metrics) {
            this.metrics = metrics;
            return this;
        }

        /** What the trainer needs to resume, a JSON object; none by default. */
        public Builder optTrainerState(JsonNode trainerState) {
            this.trainerState = trainerState;
            return this;
        }

        /**
         * The info.
         *
         * @throws IllegalArgumentException if a required value is not set or a value is invalid
         */
        public CheckpointInfo build() {
            if (config == null || labels == null || epoch == null) {
                throw new IllegalArgumentException(
                        "checkpoint info needs setConfig, setLabels and setEpoch");
            }
            return new CheckpointInfo(
                    config, labels, epoch, metrics, Optional.ofNullable(trainerState));
        }
    }
}
