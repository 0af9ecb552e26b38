package io.tsam.runtime.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.config.ModelConfig;
import io.tsam.config.ModelMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Everything a benchmark measured, with what and where: the {@code bench.json} of {@code tsam-run
 * bench}.
 *
 * @param model the model file
 * @param metadata the model's metadata
 * @param backend the backend's one-line description
 * @param machine the machine, ONNX Runtime version and provider
 * @param warmup uncounted runs before each measurement
 * @param iterations measured model runs per batch size
 * @param batches the model-only measurement of each batch size, in the order run
 * @param endToEnd the end-to-end split on a video, when one was given
 */
public record BenchReport(
        Path model,
        ModelMetadata metadata,
        String backend,
        MachineInfo machine,
        int warmup,
        int iterations,
        List<BatchResult> batches,
        Optional<EndToEndResult> endToEnd) {

    /** The report's file name. */
    public static final String FILE_NAME = "bench.json";

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public BenchReport {
        batches = List.copyOf(batches);
    }

    /** Indented JSON; durations in milliseconds, throughput in clips per second. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode m = root.putObject("model");
        ModelConfig config = metadata.config().model();
        m.put("file", model.toAbsolutePath().toString());
        m.put("arch", config.arch());
        m.put("video_segments", config.videoSegments());
        m.put("audio_segments", config.audioSegments());
        m.put("crop_size", metadata.config().dataAugmentation().cropSize());
        m.put("classes", metadata.labels().size());
        m.put("checkpoint_sha256", metadata.checkpointSha256());
        root.put("backend", backend);
        machine.writeTo(root.putObject("machine"));
        root.put("warmup", warmup);
        root.put("iterations", iterations);
        ArrayNode list = root.putArray("batches");
        for (BatchResult result : batches) {
            ObjectNode b = list.addObject();
            b.put("batch", result.batch());
            stats(b.putObject("latency_ms"), result.latency());
            b.put("clips_per_second", result.clipsPerSecond());
            ArrayNode samples = b.putArray("samples_ms");
            result.samplesMs().forEach(samples::add);
        }
        endToEnd.ifPresent(
                e -> {
                    ObjectNode node = root.putObject("end_to_end");
                    node.put("video", e.video().toAbsolutePath().toString());
                    node.put("clips", e.clips());
                    node.put("audio", e.audio().jsonName());
                    node.put("iterations", e.total().count());
                    stats(node.putObject("decode_ms"), e.decode());
                    stats(node.putObject("audio_ms"), e.audioFeatures());
                    stats(node.putObject("inference_ms"), e.inference());
                    stats(node.putObject("total_ms"), e.total());
                });
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static void stats(ObjectNode node, LatencyStats stats) {
        node.put("count", stats.count());
        node.put("mean", stats.meanMs());
        node.put("p50", stats.p50Ms());
        node.put("p90", stats.p90Ms());
        node.put("p99", stats.p99Ms());
        node.put("max", stats.maxMs());
    }
}
