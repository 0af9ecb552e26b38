package io.tsam.exporter.quantize;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.tsam.exporter.calibration.CalibrationSource;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntConsumer;

/**
 * Measures the ranges of a float model's activations on calibration clips: the model is run in ONNX
 * Runtime with every tensor of {@link QdqQuantizer#calibratedTensors} as an extra output (at the
 * basic optimisation level, so that no fusion hides one), and each tensor's values feed its {@link
 * TensorStatistics}.
 *
 * @param ranges each calibrated tensor's range
 * @param clips the clips the ranges were measured on
 */
public record ActivationCalibration(Map<String, ActivationRange> ranges, int clips) {

    /**
     * Calibrates {@code model} on at most {@code maxBatches} batches of {@code source}.
     *
     * @param progress told the number of clips done after each batch
     * @throws IllegalArgumentException if the source gives no batch
     */
    public static ActivationCalibration run(
            OrtEnvironment environment,
            ModelProto model,
            CalibrationSource source,
            int maxBatches,
            CalibrationMethod method,
            int threads,
            IntConsumer progress) {
        List<String> tensors = QdqQuantizer.calibratedTensors(model);
        ModelProto.Builder probed = model.toBuilder();
        for (String tensor : tensors) {
            probed.getGraphBuilder()
                    .addOutput(
                            ValueInfoProto.newBuilder()
                                    .setName(tensor)
                                    .setType(
                                            TypeProto.newBuilder()
                                                    .setTensorType(
                                                            TypeProto.Tensor.newBuilder()
                                                                    .setElemType(
                                                                            TensorProto.DataType
                                                                                    .FLOAT_VALUE))));
        }
        Map<String, TensorStatistics> statistics = new LinkedHashMap<>();
        int clips = 0;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.BASIC_OPT);
            options.setIntraOpNumThreads(threads);
            try (OrtSession session =
                    environment.createSession(probed.build().toByteArray(), options)) {
                for (int batch = 0; batch < maxBatches; batch++) {
                    Optional<Map<String, float[]>> inputs = source.nextBatch();
                    if (inputs.isEmpty()) {
                        break;
                    }
                    Map<String, OnnxTensor> feeds =
                            feeds(environment, session, inputs.get(), source.batchSize());
                    try (OrtSession.Result result =
                            session.run(feeds, new java.util.HashSet<>(tensors))) {
                        for (String tensor : tensors) {
                            FloatBuffer values =
                                    ((OnnxTensor) result.get(tensor).orElseThrow())
                                            .getFloatBuffer();
                            statistics
                                    .computeIfAbsent(
                                            tensor,
                                            k ->
                                                    new TensorStatistics(
                                                            method,
                                                            (long) values.remaining() * maxBatches))
                                    .add(values);
                        }
                    } finally {
                        feeds.values().forEach(OnnxTensor::close);
                    }
                    clips += source.batchSize();
                    progress.accept(clips);
                }
            }
        } catch (OrtException e) {
            throw new IllegalStateException(
                    "ONNX Runtime failed while calibrating: " + e.getMessage(), e);
        }
        if (clips == 0) {
            throw new IllegalArgumentException(
                    "no calibration clip could be read from " + source.description());
        }
        Map<String, ActivationRange> ranges = new LinkedHashMap<>();
        statistics.forEach((tensor, stats) -> ranges.put(tensor, stats.range()));
        return new ActivationCalibration(Map.copyOf(ranges), clips);
    }

    private static Map<String, OnnxTensor> feeds(
            OrtEnvironment environment, OrtSession session, Map<String, float[]> inputs, int batch)
            throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        for (Map.Entry<String, NodeInfo> input : session.getInputInfo().entrySet()) {
            long[] shape = ((TensorInfo) input.getValue().getInfo()).getShape().clone();
            shape[0] = batch;
            float[] values = inputs.get(input.getKey());
            if (values == null) {
                throw new IllegalArgumentException(
                        "the calibration batch has no input '" + input.getKey() + "'");
            }
            feeds.put(
                    input.getKey(),
                    OnnxTensor.createTensor(environment, FloatBuffer.wrap(values), shape));
        }
        return feeds;
    }
}
