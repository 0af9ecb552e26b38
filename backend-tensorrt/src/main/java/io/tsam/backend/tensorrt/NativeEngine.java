package io.tsam.backend.tensorrt;

import io.tsam.backend.TensorSpec;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * A deserialised engine with float inputs and one float output (a TSAM engine's {@code logits}),
 * and the execution contexts made from it. The engine is shared; each context owns a CUDA stream
 * and one GPU buffer per tensor for the profile's largest batch.
 */
final class NativeEngine implements AutoCloseable {

    private final TensorRtLogger log;
    private final IRuntime runtime;
    private final ICudaEngine engine;
    private final List<EngineTensor> inputs = new ArrayList<>();
    private EngineTensor output;
    private int minBatch = 1;
    private int maxBatch = Integer.MAX_VALUE;

    private NativeEngine(TensorRtLogger log, IRuntime runtime, ICudaEngine engine) {
        this.log = log;
        this.runtime = runtime;
        this.engine = engine;
    }

    /**
     * Deserialises a plan.
     *
     * @throws IllegalArgumentException if the plan is not an engine of this TensorRT version for
     *     this GPU, or its tensors are not float inputs with one float output
     * @throws IllegalStateException if TensorRT cannot create a runtime
     */
    static NativeEngine load(byte[] plan) {
        TensorRtLogger log = new TensorRtLogger();
        IRuntime runtime = nvinfer.createInferRuntime(log);
        if (runtime == null) {
            log.close();
            throw new IllegalStateException(
                    "TensorRT could not create a runtime: " + log.lastErrors());
        }
        ICudaEngine engine;
        try (BytePointer bytes = new BytePointer(plan)) {
            engine = runtime.deserializeCudaEngine(bytes, plan.length);
        }
        NativeEngine loaded = new NativeEngine(log, runtime, engine);
        try {
            if (engine == null) {
                throw new IllegalArgumentException(
                        "not an engine this TensorRT and GPU can load: " + log.lastErrors());
            }
            loaded.describe();
            return loaded;
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    List<TensorSpec> inputs() {
        return inputs.stream().map(NativeEngine::spec).toList();
    }

    TensorSpec output() {
        return spec(output);
    }

    int minBatch() {
        return minBatch;
    }

    int maxBatch() {
        return maxBatch;
    }

    /** A new execution context with its stream and buffers. */
    TensorRtBackend.Execution newExecution() {
        Context context = new Context();
        try {
            context.open();
            return context;
        } catch (RuntimeException e) {
            context.close();
            throw e;
        }
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        runtime.close();
        log.close();
    }

    private static TensorSpec spec(EngineTensor tensor) {
        return new TensorSpec(tensor.name(), tensor.shape().subList(1, tensor.shape().size()));
    }

    /** Reads the engine's tensors and batch range. */
    private void describe() {
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
                inputs.add(tensor);
                try (Dims64 min = engine.getProfileShape(name, 0, OptProfileSelector.kMIN);
                        Dims64 max = engine.getProfileShape(name, 0, OptProfileSelector.kMAX)) {
                    minBatch = Math.max(minBatch, Math.toIntExact(min.d(0)));
                    maxBatch = Math.min(maxBatch, Math.toIntExact(max.d(0)));
                }
            } else if (output == null) {
                output = tensor;
            } else {
                throw new IllegalArgumentException(
                        "the engine has outputs '"
                                + output.name()
                                + "' and '"
                                + name
                                + "'; only one output is supported");
            }
        }
        if (inputs.isEmpty() || output == null) {
            throw new IllegalArgumentException(
                    "the engine needs at least one input and one output");
        }
    }

    /** One execution context, closed in reverse order of creation, also when setting up fails. */
    private final class Context implements TensorRtBackend.Execution {
        private IExecutionContext context;
        private CUstream_st stream;
        private final Map<String, DeviceBuffer> buffers = new LinkedHashMap<>();

        void open() {
            context = engine.createExecutionContext();
            if (context == null) {
                throw new IllegalStateException(
                        "TensorRT could not create an execution context: " + log.lastErrors());
            }
            CUstream_st created = new CUstream_st();
            Cuda.check(cudart.cudaStreamCreate(created), "cudaStreamCreate");
            stream = created;
            List<EngineTensor> all = new ArrayList<>(inputs);
            all.add(output);
            for (EngineTensor tensor : all) {
                DeviceBuffer buffer = new DeviceBuffer(maxBatch * tensor.sampleElements());
                buffers.put(tensor.name(), buffer);
                if (!context.setTensorAddress(tensor.name(), buffer.address())) {
                    throw new IllegalStateException(
                            "TensorRT refused the buffer of '"
                                    + tensor.name()
                                    + "': "
                                    + log.lastErrors());
                }
            }
        }

        @Override
        public float[] run(int batch, Map<String, FloatBuffer> values) {
            for (EngineTensor input : inputs) {
                try (Dims64 shape = input.toDims(batch)) {
                    if (!context.setInputShape(input.name(), shape)) {
                        throw new IllegalStateException(
                                "TensorRT refused the shape of '"
                                        + input.name()
                                        + "': "
                                        + log.lastErrors());
                    }
                }
                buffers.get(input.name()).upload(values.get(input.name()));
            }
            if (!context.enqueueV3(stream)) {
                throw new IllegalStateException(
                        "TensorRT could not run the engine: " + log.lastErrors());
            }
            Cuda.check(cudart.cudaStreamSynchronize(stream), "cudaStreamSynchronize");
            float[] result = new float[Math.toIntExact(batch * output.sampleElements())];
            buffers.get(output.name()).download(result);
            return result;
        }

        @Override
        public void close() {
            buffers.values().forEach(DeviceBuffer::close);
            if (stream != null) {
                cudart.cudaStreamDestroy(stream);
            }
            if (context != null) {
                context.close();
            }
        }
    }
}
