package io.tsam.runtime.serve;

import io.javalin.http.Context;
import io.tsam.backend.TensorSpec;
import io.tsam.runtime.predict.PreparedVideo;
import io.tsam.runtime.serve.InferRequestParser.InferRequest;
import io.tsam.runtime.serve.OipMessages.InferResponse;
import io.tsam.runtime.serve.OipMessages.ModelMetadataBody;
import io.tsam.runtime.serve.OipMessages.OutputTensor;
import io.tsam.runtime.serve.OipMessages.TensorMetadata;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The Open Inference Protocol v2 REST handlers (KServe, Triton): health, model metadata and
 * readiness, and inference on tensors sent as JSON.
 */
final class OipEndpoints {

    /** What the metadata says runs the model, as Triton names ONNX Runtime. */
    static final String PLATFORM = "onnxruntime_onnx";

    /** The one version of the model served. */
    static final String VERSION = "1";

    /** The path parameter of the model name. */
    static final String NAME_PARAM = "name";

    /** The path parameter of the model version. */
    static final String VERSION_PARAM = "version";

    private final String modelName;
    private final DynamicBatcher batcher;
    private final BodyLimit limit;
    private final InferInputs inputs;
    private final InferRequestParser parser;
    private final TensorSpec output;
    private final ModelMetadataBody metadata;

    /**
     * Handlers for one model.
     *
     * @param modelName the name the model is served under
     * @param video the model's video input
     * @param audio the model's audio input, or null
     * @param output the model's output
     */
    OipEndpoints(
            String modelName,
            TensorSpec video,
            TensorSpec audio,
            TensorSpec output,
            int maxBatch,
            DynamicBatcher batcher,
            BodyLimit limit) {
        this.modelName = modelName;
        this.batcher = batcher;
        this.limit = limit;
        this.output = output;
        this.inputs = new InferInputs(video, audio, output.name(), maxBatch);
        this.parser = new InferRequestParser(inputs.maxValues());
        List<TensorMetadata> in = new ArrayList<>();
        in.add(tensor(video));
        if (audio != null) {
            in.add(tensor(audio));
        }
        this.metadata =
                new ModelMetadataBody(
                        modelName, List.of(VERSION), PLATFORM, in, List.of(tensor(output)));
    }

    /** {@code GET /v2/health/live}: 200 while the process serves at all. */
    void live(Context ctx) {
        ctx.status(200);
    }

    /** {@code GET /v2/health/ready}: 200 while requests are admitted, 503 once shutting down. */
    void ready(Context ctx) {
        if (!batcher.accepting()) {
            throw new ServeException(ServeException.Reason.CLOSING, "the server is shutting down");
        }
        ctx.status(200);
    }

    /** {@code GET /v2/models/{name}[/versions/{version}]}: the model's inputs and outputs. */
    void model(Context ctx) {
        checkModel(ctx);
        ctx.json(metadata);
    }

    /** {@code GET /v2/models/{name}[/versions/{version}]/ready}. */
    void modelReady(Context ctx) {
        checkModel(ctx);
        ready(ctx);
    }

    /** {@code POST /v2/models/{name}[/versions/{version}]/infer}: logits for the tensors sent. */
    void infer(Context ctx) {
        checkModel(ctx);
        InputStream body = limit.open(ctx);
        try (DynamicBatcher.Admission admission = batcher.admit()) {
            InferRequest request = parser.parse(body);
            PreparedVideo clips = inputs.toClips(request);
            DynamicBatcher.Result result = admission.run(clips);
            List<Long> shape = List.of((long) clips.clips().size(), output.sampleElements());
            ctx.json(
                    new InferResponse(
                            modelName,
                            VERSION,
                            request.id(),
                            List.of(
                                    new OutputTensor(
                                            output.name(),
                                            InferInputs.DATATYPE,
                                            shape,
                                            result.logits()))));
        }
    }

    private void checkModel(Context ctx) {
        String name = ctx.pathParam(NAME_PARAM);
        String version = ctx.pathParamMap().get(VERSION_PARAM);
        if (!name.equals(modelName) || (version != null && !version.equals(VERSION))) {
            throw new ServeException(
                    ServeException.Reason.UNKNOWN_MODEL,
                    "unknown model '"
                            + name
                            + "'"
                            + (version == null ? "" : " version '" + version + "'")
                            + "; this server serves '"
                            + modelName
                            + "' version "
                            + VERSION);
        }
    }

    private static TensorMetadata tensor(TensorSpec spec) {
        List<Long> shape = new ArrayList<>();
        shape.add(-1L);
        shape.addAll(spec.sampleShape());
        return new TensorMetadata(spec.name(), InferInputs.DATATYPE, shape);
    }
}
