package io.tsam.backend;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Runs a TSAM model on batches: the seam between the predictor and what executes the graph (ONNX
 * Runtime's {@link OrtBackend} now; a TensorRT engine through an {@link EngineBackendProvider}).
 *
 * <p>Inputs are direct, native-order {@link FloatBuffer}s that the caller allocates, fills and
 * owns, so they can be reused from call to call; an implementation reads them during {@link #run}
 * and keeps no reference afterwards.
 *
 * <p>Implementations are thread-safe: {@link #run} may be called from several threads at once, each
 * with its own buffers. The creator closes the backend once no run is in progress; afterwards
 * {@link #run} throws {@link IllegalStateException} and a second close does nothing.
 */
public interface InferenceBackend extends AutoCloseable {

    /** The file the model was loaded from ({@code .onnx}, or an engine plan). */
    Path modelFile();

    /** The provider that runs the model: {@code cpu}, {@code cuda}, {@code tensorrt}, ... */
    String provider();

    /** One line for people and reports, e.g. {@code ONNX Runtime 1.23.2, cpu, 4 threads}. */
    String description();

    /** The inputs in the graph's order, each with its per-sample shape. */
    List<TensorSpec> inputs();

    /** The single output ({@code logits}) with its per-sample shape {@code [classes]}. */
    TensorSpec output();

    /**
     * The model's TSAM metadata ({@code tsam.*} keys, SPEC §5): the ONNX file's {@code
     * metadata_props}, or what an engine's sidecar carries over from the ONNX it was built from.
     */
    Map<String, String> metadata();

    /** The largest batch one {@link #run} accepts. */
    int maxBatch();

    /**
     * Runs one batch.
     *
     * @param batch the batch size {@code N}, 1 to {@link #maxBatch()}
     * @param inputs one buffer per input name, each holding exactly {@code N} samples from its
     *     position to its limit
     * @return the output, row-major {@code [N, ...]}; owned by the caller
     * @throws IllegalArgumentException if an input is missing, unknown or of the wrong size
     * @throws IllegalStateException if the backend is closed or the run fails
     */
    float[] run(int batch, Map<String, FloatBuffer> inputs);

    @Override
    void close();
}
