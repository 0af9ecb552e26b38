package io.tsam.runtime.serve;

import io.tsam.backend.TensorSpec;
import io.tsam.runtime.predict.PreparedVideo;
import io.tsam.runtime.serve.InferRequestParser.InferRequest;
import io.tsam.runtime.serve.OipMessages.ModelMetadataBody;
import io.tsam.runtime.serve.OipMessages.TensorMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * The inference protocol's model, whatever the transport: its metadata, the model-name check and
 * one inference through the shared {@link DynamicBatcher}. The REST handlers ({@link OipEndpoints})
 * and the gRPC service ({@link GrpcInferenceService}) both answer through it, so they batch
 * together and share the admission limit.
 */
final class InferService {

    /** What the metadata says runs the model, as Triton names ONNX Runtime. */
    static final String PLATFORM = "onnxruntime_onnx";

    /** The one version of the model served. */
    static final String VERSION = "1";

    /** The server's name in the server metadata. */
    static final String SERVER_NAME = "tsam";

    /** This build's version, as the server metadata states it. */
    static final String SERVER_VERSION = "0.1.0";

    /** The protocol extensions this server implements, as Triton names them. */
    static final List<String> EXTENSIONS = List.of("binary_tensor_data");

    /**
     * One inference's answer.
     *
     * @param output the output's name
     * @param shape {@code [N, classes]}
     * @param logits row-major
     */
    record Outcome(String output, List<Long> shape, float[] logits) {}

    private final String modelName;
    private final DynamicBatcher batcher;
    private final InferInputs inputs;
    private final TensorSpec output;
    private final ModelMetadataBody metadata;

    /**
     * The protocol's view of one model.
     *
     * @param modelName the name the model is served under
     * @param video the model's video input
     * @param audio the model's audio input, or null
     * @param output the model's output
     * @param maxBatch the most samples one request may send
     */
    InferService(
            String modelName,
            TensorSpec video,
            TensorSpec audio,
            TensorSpec output,
            int maxBatch,
            DynamicBatcher batcher) {
        this.modelName = modelName;
        this.batcher = batcher;
        this.output = output;
        this.inputs = new InferInputs(video, audio, output.name(), maxBatch);
        List<TensorMetadata> in = new ArrayList<>();
        in.add(tensor(video));
        if (audio != null) {
            in.add(tensor(audio));
        }
        this.metadata =
                new ModelMetadataBody(
                        modelName, List.of(VERSION), PLATFORM, in, List.of(tensor(output)));
    }

    /** The model's name and version, inputs and outputs. */
    ModelMetadataBody metadata() {
        return metadata;
    }

    /** The most values one input of a request may hold. */
    long maxValues() {
        return inputs.maxValues();
    }

    /** Whether requests are admitted (false once shutting down). */
    boolean ready() {
        return batcher.accepting();
    }

    /**
     * Takes a place for one request, before its body is read.
     *
     * @throws ServeException {@code QUEUE_FULL} or {@code CLOSING}
     */
    DynamicBatcher.Admission admit() {
        return batcher.admit();
    }

    /**
     * Runs a request in the next batch.
     *
     * @throws IllegalArgumentException naming what does not fit the model
     */
    Outcome infer(DynamicBatcher.Admission admission, InferRequest request) {
        PreparedVideo clips = inputs.toClips(request);
        DynamicBatcher.Result result = admission.run(clips);
        List<Long> shape = List.of((long) clips.clips().size(), output.sampleElements());
        return new Outcome(output.name(), shape, result.logits());
    }

    /**
     * Checks that a request names the model served.
     *
     * @param version the version asked for, or null or empty for any
     * @throws ServeException {@code UNKNOWN_MODEL} naming what is served
     */
    void checkModel(String name, String version) {
        boolean anyVersion = version == null || version.isEmpty();
        if (!name.equals(modelName) || (!anyVersion && !version.equals(VERSION))) {
            throw new ServeException(
                    ServeException.Reason.UNKNOWN_MODEL,
                    "unknown model '"
                            + name
                            + "'"
                            + (anyVersion ? "" : " version '" + version + "'")
                            + "; this server serves '"
                            + modelName
                            + "' version "
                            + VERSION);
        }
    }

    /** The model's name. */
    String modelName() {
        return modelName;
    }

    private static TensorMetadata tensor(TensorSpec spec) {
        List<Long> shape = new ArrayList<>();
        shape.add(-1L);
        shape.addAll(spec.sampleShape());
        return new TensorMetadata(spec.name(), InferInputs.DATATYPE, shape);
    }
}
