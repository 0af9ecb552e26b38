package io.tsam.runtime.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What the machine's matrix multiply achieves in ONNX Runtime with the same session settings: one
 * {@code MatMul} of two {@code n × n} float matrices, {@code 2n³} FLOPs a run, the yardstick that a
 * model's achieved GFLOP/s are read against. The one-node model is written here, as protobuf bytes
 * by field number, so that the runtime needs no ONNX classes.
 */
final class GemmReference implements AutoCloseable {

    private final int n;
    private final OrtSession session;
    private final Map<String, OnnxTensor> inputs;

    /** The product, written in place every run: allocating 4n² bytes a run would be timed too. */
    private final Map<String, OnnxTensor> output;

    /**
     * @param n the matrices' side
     * @param threads intra-op threads, as the models get
     */
    GemmReference(OrtEnvironment environment, int n, int threads) {
        this.n = n;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            this.session = environment.createSession(model(n), options);
            SplittableRandom random = new SplittableRandom(n);
            this.inputs =
                    Map.of("A", matrix(environment, random), "B", matrix(environment, random));
            this.output = Map.of("C", matrix(environment, random));
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime cannot run a " + n + "² MatMul", e);
        }
    }

    private OnnxTensor matrix(OrtEnvironment environment, SplittableRandom random)
            throws OrtException {
        return OnnxTensor.createTensor(
                environment, RandomInputs.gaussian((long) n * n, random), new long[] {n, n});
    }

    /** FLOPs of one run. */
    double flops() {
        return 2.0 * n * n * n;
    }

    /** The matrices' side. */
    int size() {
        return n;
    }

    /** Runs the multiply once. */
    void run() {
        try (OrtSession.Result result = session.run(inputs, output)) {
            result.get(0);
        } catch (OrtException e) {
            throw new IllegalStateException("the reference MatMul failed", e);
        }
    }

    @Override
    public void close() {
        inputs.values().forEach(OnnxTensor::close);
        output.values().forEach(OnnxTensor::close);
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the reference MatMul", e);
        }
    }

    /** {@code C = MatMul(A, B)}, all {@code n × n} float, opset 17. */
    static byte[] model(int n) {
        byte[] node =
                message(
                        out -> {
                            out.writeString(1, "A");
                            out.writeString(1, "B");
                            out.writeString(2, "C");
                            out.writeString(4, "MatMul");
                        });
        byte[] graph =
                message(
                        out -> {
                            out.writeByteArray(1, node);
                            out.writeString(2, "gemm");
                            out.writeByteArray(11, matrix("A", n));
                            out.writeByteArray(11, matrix("B", n));
                            out.writeByteArray(12, matrix("C", n));
                        });
        byte[] opset = message(out -> out.writeInt64(2, 17));
        return message(
                out -> {
                    out.writeInt64(1, 8); // IR version
                    out.writeByteArray(7, graph);
                    out.writeByteArray(8, opset);
                });
    }

    /** A ValueInfoProto of a float {@code n × n} tensor. */
    private static byte[] matrix(String name, int n) {
        byte[] dim = message(out -> out.writeInt64(1, n));
        byte[] shape =
                message(
                        out -> {
                            out.writeByteArray(1, dim);
                            out.writeByteArray(1, dim);
                        });
        byte[] tensor =
                message(
                        out -> {
                            out.writeInt32(1, 1); // FLOAT
                            out.writeByteArray(2, shape);
                        });
        byte[] type = message(out -> out.writeByteArray(1, tensor));
        return message(
                out -> {
                    out.writeString(1, name);
                    out.writeByteArray(2, type);
                });
    }

    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            fields.write(out);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
