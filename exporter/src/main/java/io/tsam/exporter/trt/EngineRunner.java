package io.tsam.exporter.trt;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.bytedeco.cuda.cudart.CUstream_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvinfer.DataType;
import org.bytedeco.tensorrt.global.nvinfer.OptProfileSelector;
import org.bytedeco.tensorrt.global.nvinfer.TensorIOMode;
import org.bytedeco.tensorrt.nvinfer.Dims64;
import org.bytedeco.tensorrt.nvinfer.ICudaEngine;
import org.bytedeco.tensorrt.nvinfer.IExecutionContext;
import org.bytedeco.tensorrt.nvinfer.IRuntime;

/**
 * Runs a serialised TensorRT engine with one float output (a TSAM engine's {@code logits}):
 * deserialises the plan, allocates one GPU buffer per input and output for the profile's largest
 * batch, and per call copies the inputs in, sets their shapes, runs and copies the output back.
 *
 * <p>Not thread-safe: one runner per thread. The creator closes it; afterwards {@link #run} throws
 * and a second close does nothing.
 */
public final class EngineRunner implements AutoCloseable {

    private final Parts parts;
    private final List<EngineTensor> inputs;
    private final Set<String> inputNames;
    private boolean closed;

    private EngineRunner(Parts parts) {
        this.parts = parts;
        this.inputs = List.copyOf(parts.inputs);
        this.inputNames = inputs.stream().map(EngineTensor::name).collect(Collectors.toSet());
    }

    /**
     * Loads a {@code .plan} file.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if the plan is not an engine of this TensorRT version for
     *     this GPU, or its tensors are not float inputs with one float output
     */
    public static EngineRunner open(Path plan) throws IOException {
        return load(Files.readAllBytes(plan));
    }

    /**
     * Loads a serialised engine.
     *
     * @throws IllegalArgumentException if the plan is not an engine of this TensorRT version for
     *     this GPU, or its tensors are not float inputs with one float output
     * @throws IllegalStateException if TensorRT or CUDA cannot set it up
     */
    public static EngineRunner load(byte[] plan) {
        Parts parts = new Parts();
        try {
            parts.log = new TensorRtLogger();
            parts.runtime = nvinfer.createInferRuntime(parts.log);
            if (parts.runtime == null) {
                throw new IllegalStateException(
                        "TensorRT could not create a runtime: " + parts.log.lastErrors());
            }
            try (BytePointer bytes = new BytePointer(plan)) {
                parts.engine = parts.runtime.deserializeCudaEngine(bytes, plan.length);
            }
            if (parts.engine == null) {
                throw new IllegalArgumentException(
                        "the plan is not an engine this TensorRT and GPU can load: "
                                + parts.log.lastErrors());
            }
            parts.context = parts.engine.createExecutionContext();
            if (parts.context == null) {
                throw new IllegalStateException(
                        "TensorRT could not create an execution context: "
                                + parts.log.lastErrors());
            }
            parts.stream = new CUstream_st();
            Cuda.check(cudart.cudaStreamCreate(parts.stream), "cudaStreamCreate");
            parts.streamCreated = true;
            describe(parts);
            for (EngineTensor tensor : parts.all()) {
                DeviceBuffer buffer = new DeviceBuffer(parts.maxBatch * tensor.sampleElements());
                parts.buffers.put(tensor.name(), buffer);
                if (!parts.context.setTensorAddress(tensor.name(), buffer.address())) {
                    throw new IllegalStateException(
                            "TensorRT refused the buffer of '"
                                    + tensor.name()
                                    + "': "
                                    + parts.log.lastErrors());
                }
            }
            return new EngineRunner(parts);
        } catch (RuntimeException e) {
            parts.close();
            throw e;
        }
    }

    /** The inputs, in the engine's order, each {@code [-1, ...]}. */
    public List<EngineTensor> inputs() {
        return inputs;
    }

    /** The output, {@code [-1, ...]}. */
    public EngineTensor output() {
        return parts.output;
    }

    /** The smallest batch the engine runs. */
    public int minBatch() {
        return parts.minBatch;
    }

    /** The largest batch the engine runs. */
    public int maxBatch() {
        return parts.maxBatch;
    }

    /**
     * Runs one batch.
     *
     * @param batch the batch size {@code N}, within the engine's profile
     * @param values one row-major {@code [N, ...]} array per input name
     * @return the output, row-major {@code [N, ...]}
     * @throws IllegalArgumentException if the batch is outside the profile, or an input is missing,
     *     unknown or of the wrong length
     * @throws IllegalStateException if the runner is closed or TensorRT fails to run
     */
    public float[] run(int batch, Map<String, float[]> values) {
        if (closed) {
            throw new IllegalStateException("the engine runner is closed");
        }
        if (batch < parts.minBatch || batch > parts.maxBatch) {
            throw new IllegalArgumentException(
                    "the engine runs batches of "
                            + parts.minBatch
                            + " to "
                            + parts.maxBatch
                            + " (its profile), got "
                            + batch);
        }
        if (!values.keySet().equals(inputNames)) {
            throw new IllegalArgumentException(
                    "the engine's inputs are "
                            + inputs.stream().map(EngineTensor::name).toList()
                            + ", got "
                            + values.keySet());
        }
        for (EngineTensor input : inputs) {
            float[] data = values.get(input.name());
            long expected = batch * input.sampleElements();
            if (data.length != expected) {
                throw new IllegalArgumentException(
                        "input '"
                                + input.name()
                                + "' needs "
                                + expected
                                + " values for a batch of "
                                + batch
                                + " "
                                + input.shape().subList(1, input.shape().size())
                                + ", got "
                                + data.length);
            }
            try (Dims64 shape = TensorRtExporter.dims(input, batch)) {
                if (!parts.context.setInputShape(input.name(), shape)) {
                    throw new IllegalStateException(
                            "TensorRT refused the shape of '"
                                    + input.name()
                                    + "': "
                                    + parts.log.lastErrors());
                }
            }
            parts.buffers.get(input.name()).upload(data);
        }
        if (!parts.context.enqueueV3(parts.stream)) {
            throw new IllegalStateException(
                    "TensorRT could not run the engine: " + parts.log.lastErrors());
        }
        Cuda.check(cudart.cudaStreamSynchronize(parts.stream), "cudaStreamSynchronize");
        EngineTensor output = parts.output;
        float[] result = new float[Math.toIntExact(batch * output.sampleElements())];
        parts.buffers.get(output.name()).download(result);
        return result;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            parts.close();
        }
    }

    /** Reads the engine's tensors and batch range into {@code parts}. */
    private static void describe(Parts parts) {
        ICudaEngine engine = parts.engine;
        for (int i = 0; i < engine.getNbIOTensors(); i++) {
            String name = engine.getIOTensorName(i);
            if (engine.getTensorDataType(name).intern() != DataType.kFLOAT) {
                throw new IllegalArgumentException(
                        "engine tensor '"
                                + name
                                + "' is "
                                + engine.getTensorDataType(name)
                                + "; only float inputs and outputs are supported");
            }
            EngineTensor tensor;
            try (Dims64 dims = engine.getTensorShape(name)) {
                List<Long> shape = new ArrayList<>();
                for (int d = 0; d < dims.nbDims(); d++) {
                    shape.add(dims.d(d));
                }
                tensor = new EngineTensor(name, shape);
            }
            TensorIOMode mode = engine.getTensorIOMode(name).intern();
            if (mode == TensorIOMode.kINPUT) {
                parts.inputs.add(tensor);
                try (Dims64 min = engine.getProfileShape(name, 0, OptProfileSelector.kMIN);
                        Dims64 max = engine.getProfileShape(name, 0, OptProfileSelector.kMAX)) {
                    parts.minBatch = Math.max(parts.minBatch, Math.toIntExact(min.d(0)));
                    parts.maxBatch = Math.min(parts.maxBatch, Math.toIntExact(max.d(0)));
                }
            } else if (parts.output == null) {
                parts.output = tensor;
            } else {
                throw new IllegalArgumentException(
                        "the engine has outputs '"
                                + parts.output.name()
                                + "' and '"
                                + name
                                + "'; only one output is supported");
            }
        }
        if (parts.inputs.isEmpty() || parts.output == null) {
            throw new IllegalArgumentException(
                    "the engine needs at least one input and one output");
        }
    }

    /** What a runner holds, closed in reverse order of creation, also when setting up fails. */
    private static final class Parts {
        TensorRtLogger log;
        IRuntime runtime;
        ICudaEngine engine;
        IExecutionContext context;
        CUstream_st stream;
        boolean streamCreated;
        final List<EngineTensor> inputs = new ArrayList<>();
        EngineTensor output;
        final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();
        int minBatch = 1;
        int maxBatch = Integer.MAX_VALUE;

        List<EngineTensor> all() {
            List<EngineTensor> all = new ArrayList<>(inputs);
            all.add(output);
            return all;
        }

        void close() {
            buffers.values().forEach(DeviceBuffer::close);
            if (streamCreated) {
                cudart.cudaStreamDestroy(stream);
            }
            if (context != null) {
                context.close();
            }
            if (engine != null) {
                engine.close();
            }
            if (runtime != null) {
                runtime.close();
            }
            if (log != null) {
                log.close();
            }
        }
    }
}
