package io.tsam.backend.tensorrt;

import io.tsam.backend.BackendUnavailableException;
import io.tsam.backend.InferenceBackend;
import io.tsam.backend.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serialised TensorRT engine ({@code model.plan} with its {@code model.plan.json} sidecar) as an
 * {@link InferenceBackend}.
 *
 * <p>An execution context runs one batch at a time, so the backend keeps a pool of them, each with
 * its own CUDA stream and GPU buffers sized for the profile's largest batch; a run borrows one and
 * waits while all are busy. That makes the backend thread-safe as the contract requires, and lets
 * the server's batcher overlap one batch's copies with another's compute.
 *
 * <p>The TSAM metadata comes from the sidecar (the ONNX model's {@code metadata_props}, copied when
 * the engine was built), so no ONNX file or ONNX Runtime session is needed to run an engine.
 */
public final class TensorRtBackend implements InferenceBackend {

    /** Execution contexts per engine unless asked otherwise: one computing, one copying. */
    public static final int DEFAULT_CONTEXTS = 2;

    private static final Logger logger = LoggerFactory.getLogger(TensorRtBackend.class);

    /** One execution context with its stream and buffers: what one run at a time needs. */
    interface Execution extends AutoCloseable {
        /** Runs a batch already checked against the engine's inputs and profile. */
        float[] run(int batch, Map<String, FloatBuffer> inputs);

        @Override
        void close();
    }

    /**
     * What the engine is, apart from its contexts.
     *
     * @param plan the engine file
     * @param metadata the TSAM metadata from the sidecar
     * @param inputs the engine's inputs, per sample
     * @param output the engine's output, per sample
     * @param minBatch the profile's smallest batch
     * @param maxBatch the profile's largest batch
     * @param description one line for people
     */
    record Description(
            Path plan,
            Map<String, String> metadata,
            List<TensorSpec> inputs,
            TensorSpec output,
            int minBatch,
            int maxBatch,
            String description) {}

    private final Description engineDescription;
    private final List<Execution> executions;
    private final BlockingQueue<Execution> idle;
    private final AutoCloseable engine;
    private volatile boolean closed;

    /** A backend over {@code executions}, which it owns and closes with {@code engine}. */
    TensorRtBackend(Description description, List<Execution> executions, AutoCloseable engine) {
        if (executions.isEmpty()) {
            throw new IllegalArgumentException("an engine backend needs at least one context");
        }
        this.engineDescription = description;
        this.executions = List.copyOf(executions);
        this.idle = new ArrayBlockingQueue<>(executions.size(), false, executions);
        this.engine = engine;
    }

    /**
     * Loads an engine and its sidecar onto the current GPU.
     *
     * @param plan the {@code .plan} file; {@code plan.json} must be beside it
     * @param contexts how many batches may run at once, at least 1
     * @return a backend the caller owns and closes
     * @throws BackendUnavailableException one line naming the missing driver, CUDA or TensorRT
     *     library, or the missing GPU
     * @throws IllegalArgumentException naming the file if it or its sidecar is missing or
     *     malformed, the sidecar carries no TSAM metadata, or the plan is not an engine this
     *     TensorRT and GPU can load
     */
    public static TensorRtBackend open(Path plan, int contexts) {
        if (contexts < 1) {
            throw new IllegalArgumentException("contexts must be >= 1, got " + contexts);
        }
        if (!Files.isRegularFile(plan)) {
            throw new IllegalArgumentException(
                    plan + ": " + (Files.exists(plan) ? "not a regular file" : "no such file"));
        }
        EnginePlan file;
        try {
            file = EnginePlan.read(plan);
        } catch (IOException e) {
            throw new UncheckedIOException(plan + ": " + e.getMessage(), e);
        }
        if (file.info().metadata().isEmpty()) {
            throw new IllegalArgumentException(
                    EnginePlan.sidecarOf(plan)
                            + ": carries no TSAM metadata (the engine was built by an older"
                            + " tsam-export); build it again with tsam-export --tensorrt");
        }
        GpuStatus status = GpuProbe.probe();
        GpuInfo gpu =
                status.gpu()
                        .orElseThrow(
                                () ->
                                        new BackendUnavailableException(
                                                "TensorRT engines cannot run here: "
                                                        + status.problem()));
        NativeEngine loaded;
        try {
            loaded = NativeEngine.load(file.bytes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(plan + ": " + e.getMessage(), e);
        }
        List<Execution> executions = new ArrayList<>();
        try {
            for (int i = 0; i < contexts; i++) {
                executions.add(loaded.newExecution());
            }
        } catch (RuntimeException e) {
            executions.forEach(Execution::close);
            loaded.close();
            throw e;
        }
        Description description =
                new Description(
                        plan,
                        file.info().metadata(),
                        loaded.inputs(),
                        loaded.output(),
                        loaded.minBatch(),
                        loaded.maxBatch(),
                        String.format(
                                "TensorRT %s engine, %s, %s, %d contexts",
                                gpu.tensorRtVersion(),
                                file.info().precision().jsonName(),
                                gpu.name(),
                                contexts));
        return new TensorRtBackend(description, executions, loaded);
    }

    @Override
    public Path modelFile() {
        return engineDescription.plan();
    }

    @Override
    public String provider() {
        return "tensorrt-engine";
    }

    @Override
    public String description() {
        return engineDescription.description();
    }

    @Override
    public List<TensorSpec> inputs() {
        return engineDescription.inputs();
    }

    @Override
    public TensorSpec output() {
        return engineDescription.output();
    }

    @Override
    public Map<String, String> metadata() {
        return engineDescription.metadata();
    }

    /** The smallest batch the engine's profile accepts. */
    public int minBatch() {
        return engineDescription.minBatch();
    }

    @Override
    public int maxBatch() {
        return engineDescription.maxBatch();
    }

    @Override
    public float[] run(int batch, Map<String, FloatBuffer> values) {
        checkOpen();
        TensorSpec.checkBatch(inputs(), batch, values);
        if (batch < minBatch() || batch > maxBatch()) {
            throw new IllegalArgumentException(
                    modelFile()
                            + ": the engine runs batches of "
                            + minBatch()
                            + " to "
                            + maxBatch()
                            + " (its profile), got "
                            + batch);
        }
        Execution execution;
        try {
            execution = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(
                    "interrupted while waiting for an execution context", e);
        }
        try {
            checkOpen();
            return execution.run(batch, values);
        } finally {
            idle.add(execution);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        executions.forEach(Execution::close);
        try {
            engine.close();
        } catch (Exception e) {
            logger.warn("closing the engine of {} failed", modelFile(), e);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the backend of " + modelFile() + " is closed");
        }
    }
}
