package io.tsam.exporter.verify;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tsam.exporter.onnx.TsamOnnxFormat;
import io.tsam.model.net.TsamNet;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs an exported model in ONNX Runtime (CPU) and the DJL {@link TsamNet} it came from (inference
 * mode) on the same inputs and compares every output: the check that the lowering computes what the
 * net computes.
 *
 * <p>All input batches go through one session, so batches of different {@code N} also check that
 * the batch dimension is dynamic.
 */
public final class ParityCheck {

    /** The default largest allowed absolute error on the logits. */
    public static final double DEFAULT_TOLERANCE = 1e-4;

    private final OrtEnvironment environment;
    private final TsamNet net;
    private final byte[] model;
    private final List<ParityInput> inputs;
    private final double tolerance;
    private final int intraOpThreads;

    private ParityCheck(
            OrtEnvironment environment,
            TsamNet net,
            byte[] model,
            List<ParityInput> inputs,
            double tolerance,
            int intraOpThreads) {
        this.environment = environment;
        this.net = net;
        this.model = model;
        this.inputs = inputs;
        this.tolerance = tolerance;
        this.intraOpThreads = intraOpThreads;
    }

    /** Returns a builder; environment, net, model and inputs are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs both implementations on every input batch.
     *
     * @return one comparison per batch and output
     * @throws OrtException if ONNX Runtime cannot load or run the model
     */
    public ParityReport run() throws OrtException {
        List<OutputComparison> comparisons = new ArrayList<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            try (OrtSession session = environment.createSession(model, options)) {
                for (ParityInput input : inputs) {
                    Map<String, float[]> onnx = runOnnx(session, input);
                    float[] djl = runDjl(input);
                    for (Map.Entry<String, float[]> output : onnx.entrySet()) {
                        comparisons.add(
                                OutputComparison.of(
                                        input.name(),
                                        output.getKey(),
                                        new long[] {input.batch(), net.classes()},
                                        output.getValue(),
                                        djl,
                                        tolerance));
                    }
                }
            }
        }
        return new ParityReport(tolerance, comparisons);
    }

    private Map<String, float[]> runOnnx(OrtSession session, ParityInput input)
            throws OrtException {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
            feeds.put(TsamOnnxFormat.VIDEO, tensor(tensors, input.video(), input.videoShape()));
            if (input.audio().isPresent()) {
                feeds.put(
                        TsamOnnxFormat.AUDIO,
                        tensor(tensors, input.audio().get(), input.audioShape()));
            }
            Map<String, float[]> outputs = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(feeds)) {
                for (Map.Entry<String, OnnxValue> output : result) {
                    FloatBuffer values = ((OnnxTensor) output.getValue()).getFloatBuffer();
                    float[] array = new float[values.remaining()];
                    values.get(array);
                    outputs.put(output.getKey(), array);
                }
            }
            return outputs;
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(List<OnnxTensor> owned, float[] data, long[] shape)
            throws OrtException {
        OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(data), shape);
        owned.add(tensor);
        return tensor;
    }

    /**
     * Runs the net one sample at a time: DJL keeps every intermediate array until its manager
     * closes, so a batch would hold the activations of all {@code N * S} images at once (6 GB for
     * three TSAM-R50 samples at 224x224). In inference mode the samples do not interact, so the
     * rows are the same.
     */
    private float[] runDjl(ParityInput input) {
        NDManager parameters = net.head().getParameters().get("weight").getArray().getManager();
        float[] video = input.video();
        float[] audio = input.audio().orElse(null);
        long[] videoShape = input.videoShape();
        long[] audioShape = input.audioShape();
        videoShape[0] = 1;
        audioShape[0] = 1;
        int videoLength = video.length / input.batch();
        int audioLength = audio == null ? 0 : audio.length / input.batch();
        float[] logits = new float[input.batch() * net.classes()];
        for (int n = 0; n < input.batch(); n++) {
            try (NDManager scope = parameters.newSubManager()) {
                NDList arrays = new NDList(sample(scope, video, n, videoLength, videoShape));
                if (audio != null) {
                    arrays.add(sample(scope, audio, n, audioLength, audioShape));
                }
                NDArray row =
                        net.forward(new ParameterStore(scope, false), arrays, false)
                                .singletonOrThrow();
                System.arraycopy(row.toFloatArray(), 0, logits, n * net.classes(), net.classes());
            }
        }
        return logits;
    }

    private static NDArray sample(
            NDManager manager, float[] batch, int index, int length, long[] shape) {
        float[] values = Arrays.copyOfRange(batch, index * length, (index + 1) * length);
        return manager.create(values, new Shape(shape));
    }

    /** Builds a {@link ParityCheck}. */
    public static final class Builder {

        private OrtEnvironment environment;
        private TsamNet net;
        private byte[] model;
        private List<ParityInput> inputs;
        private double tolerance = DEFAULT_TOLERANCE;
        private int intraOpThreads;

        private Builder() {}

        /** Sets the ONNX Runtime environment; the caller owns it (required). */
        public Builder setEnvironment(OrtEnvironment environment) {
            this.environment = environment;
            return this;
        }

        /** Sets the net the model was exported from, with its weights (required). */
        public Builder setNet(TsamNet net) {
            this.net = net;
            return this;
        }

        /** Sets the serialised ONNX model, only read (required). */
        public Builder setModel(byte[] model) {
            this.model = model;
            return this;
        }

        /** Sets the input batches, e.g. {@link ParityInput#standard} (required, at least one). */
        public Builder setInputs(List<ParityInput> inputs) {
            this.inputs = inputs;
            return this;
        }

        /** Sets the largest allowed absolute error; {@value #DEFAULT_TOLERANCE} by default. */
        public Builder optTolerance(double tolerance) {
            this.tolerance = tolerance;
            return this;
        }

        /** Sets ONNX Runtime's intra-op threads; 0 (its default) by default. */
        public Builder optIntraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        /**
         * Returns the check.
         *
         * @throws NullPointerException if a required value is missing
         * @throws IllegalArgumentException if there are no inputs, the tolerance is negative or not
         *     a number, or the thread count is negative
         */
        public ParityCheck build() {
            Objects.requireNonNull(environment, "ParityCheck needs setEnvironment");
            Objects.requireNonNull(net, "ParityCheck needs setNet");
            Objects.requireNonNull(model, "ParityCheck needs setModel");
            Objects.requireNonNull(inputs, "ParityCheck needs setInputs");
            if (inputs.isEmpty()) {
                throw new IllegalArgumentException("a parity check needs at least one input batch");
            }
            if (!(tolerance >= 0)) {
                throw new IllegalArgumentException(
                        "the tolerance must be a number >= 0, got " + tolerance);
            }
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException(
                        "intra-op threads must be >= 0 (0: ONNX Runtime's default), got "
                                + intraOpThreads);
            }
            return new ParityCheck(
                    environment, net, model, List.copyOf(inputs), tolerance, intraOpThreads);
        }
    }
}
