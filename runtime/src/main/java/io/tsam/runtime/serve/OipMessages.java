package io.tsam.runtime.serve;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The JSON bodies the server answers with: the Open Inference Protocol v2 messages (KServe, Triton)
 * and the error object every route shares.
 */
final class OipMessages {

    private OipMessages() {}

    /** Any failure: {@code {"error": "..."}}. */
    record ErrorBody(String error) {}

    /** {@code GET /v2}: the server's name, version and protocol extensions. */
    record ServerMetadata(String name, String version, List<String> extensions) {}

    /**
     * One input or output in the model's metadata.
     *
     * @param shape the dimensions, {@code -1} for the dynamic batch axis
     */
    record TensorMetadata(String name, String datatype, List<Long> shape) {}

    /** {@code GET /v2/models/{name}}. */
    record ModelMetadataBody(
            String name,
            List<String> versions,
            String platform,
            List<TensorMetadata> inputs,
            List<TensorMetadata> outputs) {}

    /**
     * One output tensor of an inference response: values row-major in {@code data}, or, sent as
     * binary data after the JSON, {@code parameters.binary_data_size} bytes and no {@code data}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record OutputTensor(
            String name,
            String datatype,
            List<Long> shape,
            Map<String, Object> parameters,
            float[] data) {}

    /** {@code POST /v2/models/{name}/infer}; {@code id} only when the request had one. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record InferResponse(
            @JsonProperty("model_name") String modelName,
            @JsonProperty("model_version") String modelVersion,
            String id,
            List<OutputTensor> outputs) {}
}
