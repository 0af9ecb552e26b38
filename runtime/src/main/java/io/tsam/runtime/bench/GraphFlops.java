package io.tsam.runtime.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsam.backend.InferenceBackend;
import io.tsam.backend.TensorSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The FLOPs of one run of a model, counted from its graph as ONNX Runtime executes it: one run
 * under basic optimisation (constants folded, BatchNorm in the convs, no layout changes) with
 * profiling on, whose per-node records carry every input and output shape. Convolutions and matrix
 * products count two FLOPs per multiply-add; the other operators, a fraction of a percent of a
 * ResNet's work, are not counted.
 */
final class GraphFlops {

    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphFlops() {}

    /**
     * Counts the FLOPs of a batch.
     *
     * @param backend the model's inputs
     * @param model its file
     */
    static double count(
            OrtEnvironment environment, InferenceBackend backend, Path model, int batch) {
        Path dir;
        try {
            dir = Files.createTempDirectory("tsam-flops-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for ONNX Runtime's profile", e);
        }
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            options.enableProfiling(dir.resolve("profile").toString());
            try (OrtSession session = environment.createSession(model.toString(), options)) {
                Map<String, FloatBuffer> values = RandomInputs.of(backend, batch, 0);
                for (TensorSpec input : backend.inputs()) {
                    long[] shape = new long[input.sampleShape().size() + 1];
                    shape[0] = batch;
                    for (int i = 1; i < shape.length; i++) {
                        shape[i] = input.sampleShape().get(i - 1);
                    }
                    feeds.put(
                            input.name(),
                            OnnxTensor.createTensor(environment, values.get(input.name()), shape));
                }
                session.run(feeds).close();
                return count(Path.of(session.endProfiling()));
            }
        } catch (OrtException e) {
            throw new IllegalStateException(model + ": cannot profile one run to count FLOPs", e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
            deleteQuietly(dir);
        }
    }

    /** The FLOPs of the node records of one profiled run. */
    static double count(Path profile) {
        JsonNode events;
        try {
            events = JSON.readTree(profile.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ONNX Runtime's profile " + profile, e);
        }
        double flops = 0;
        for (JsonNode event : events) {
            JsonNode args = event.path("args");
            if (!event.path("cat").asText().equals("Node")
                    || !event.path("name").asText().endsWith("_kernel_time")) {
                continue;
            }
            flops += flops(args.path("op_name").asText(), args);
        }
        return flops;
    }

    private static double flops(String op, JsonNode args) {
        JsonNode inputs = args.path("input_type_shape");
        JsonNode outputs = args.path("output_type_shape");
        switch (op) {
            case "Conv", "FusedConv" -> {
                // Output [N, Cout, spatial...]; weight [Cout, Cin/group, kernel...].
                long[] out = shape(outputs.path(0));
                long[] weight = shape(inputs.path(1));
                long macsPerOutput = 1;
                for (int i = 1; i < weight.length; i++) {
                    macsPerOutput *= weight[i];
                }
                return 2.0 * elements(out) * macsPerOutput;
            }
            case "Gemm", "MatMul", "FusedMatMul" -> {
                // Output [..., M, N]; K is the first input's last or second-to-last dimension,
                // whichever its other dimension leaves (a transposed A keeps M first).
                long[] a = shape(inputs.path(0));
                long[] out = shape(outputs.path(0));
                long m = out.length >= 2 ? out[out.length - 2] : 1;
                long k = a.length >= 2 && a[a.length - 1] == m ? a[a.length - 2] : a[a.length - 1];
                return 2.0 * elements(out) * k;
            }
            default -> {
                return 0;
            }
        }
    }

    /** The dimensions of one {@code {"float": [...]}} record. */
    private static long[] shape(JsonNode typed) {
        JsonNode dims = typed.elements().hasNext() ? typed.elements().next() : typed;
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).asLong();
        }
        return shape;
    }

    private static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            // A profile left in the temporary folder is harmless.
        }
    }
}
