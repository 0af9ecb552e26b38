package io.tsam.exporter.verify;

import io.tsam.backend.InferenceBackend;
import io.tsam.model.net.TsamNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs an exported model on a backend (ONNX Runtime for the export check, a TensorRT engine for the
 * engine check) and the DJL {@link TsamNet} it came from (inference mode, {@link NetInference}) on
 * the same inputs and compares the logits: the check that the lowering computes what the net
 * computes.
 *
 * <p>All input batches go through one backend, so batches of different {@code N} also check that
 * the batch dimension is dynamic.
 */
public final class ParityCheck {

    private final InferenceBackend backend;
    private final TsamNet net;
    private final List<ParityInput> inputs;
    private final Tolerance tolerance;

    private ParityCheck(
            InferenceBackend backend, TsamNet net, List<ParityInput> inputs, Tolerance tolerance) {
        this.backend = backend;
        this.net = net;
        this.inputs = inputs;
        this.tolerance = tolerance;
    }

    /** Returns a builder; backend, net and inputs are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs both implementations on every input batch.
     *
     * @return one comparison per batch
     * @throws IllegalStateException if the backend fails to run a batch
     */
    public ParityReport run() {
        List<OutputComparison> comparisons = new ArrayList<>();
        for (ParityInput input : inputs) {
            float[] exported = backend.run(input.batch(), input.feeds());
            comparisons.add(
                    OutputComparison.of(
                            input.name(),
                            backend.output().name(),
                            new long[] {input.batch(), net.classes()},
                            exported,
                            NetInference.logits(net, input),
                            tolerance));
        }
        return new ParityReport(tolerance, comparisons);
    }

    /** Builds a {@link ParityCheck}. */
    public static final class Builder {

        private InferenceBackend backend;
        private TsamNet net;
        private List<ParityInput> inputs;
        private Tolerance tolerance = Tolerance.FP32;

        private Builder() {}

        /** Sets what runs the exported model; the caller owns and closes it (required). */
        public Builder setBackend(InferenceBackend backend) {
            this.backend = backend;
            return this;
        }

        /** Sets the net the model was exported from, with its weights (required). */
        public Builder setNet(TsamNet net) {
            this.net = net;
            return this;
        }

        /** Sets the input batches, e.g. {@link ParityInput#standard} (required, at least one). */
        public Builder setInputs(List<ParityInput> inputs) {
            this.inputs = inputs;
            return this;
        }

        /** Sets what may differ; {@link Tolerance#FP32} by default. */
        public Builder optTolerance(Tolerance tolerance) {
            this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
            return this;
        }

        /**
         * Returns the check.
         *
         * @throws NullPointerException if a required value is missing
         * @throws IllegalArgumentException if there are no inputs
         */
        public ParityCheck build() {
            Objects.requireNonNull(backend, "ParityCheck needs setBackend");
            Objects.requireNonNull(net, "ParityCheck needs setNet");
            Objects.requireNonNull(inputs, "ParityCheck needs setInputs");
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("a parity check needs at least one input batch");
            }
            return new ParityCheck(backend, net, List.copyOf(inputs), tolerance);
        }
    }
}
