package io.tsam.exporter.cli;

import io.tsam.backend.tensorrt.EnginePlan;
import io.tsam.exporter.triton.TritonConfig;
import io.tsam.exporter.triton.TritonModel;
import io.tsam.exporter.triton.TritonModelWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine.Option;

/** The options of the Triton model repository step. */
final class TritonOptions {

    @Option(
            names = "--triton-repo",
            paramLabel = "DIR",
            description = {
                "Also write the model into this Triton model repository: DIR/NAME/config.pbtxt,"
                        + " labels.txt and 1/model.onnx (1/model.plan with --tensorrt)."
            })
    Path repository;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = {"The Triton model name (default: --out's file name without .onnx)."})
    String name;

    @Option(
            names = "--max-batch",
            paramLabel = "N",
            description = {
                "Triton's max_batch_size (default: the engine's MAX with --tensorrt, else "
                        + TritonModelWriter.DEFAULT_MAX_BATCH
                        + ")."
            })
    Integer maxBatch;

    @Option(
            names = "--max-queue-delay-us",
            paramLabel = "US",
            description = {
                "How long Triton's dynamic batcher may hold a request to fill a batch, in"
                        + " microseconds (default: "
                        + TritonModelWriter.DEFAULT_QUEUE_DELAY_MICROS
                        + ")."
            })
    Long queueDelayMicros;

    @Option(
            names = "--triton-gpu",
            description = {"Serve the ONNX model on the GPU (KIND_GPU); a plan always is."})
    boolean gpu;

    @Option(
            names = "--force",
            description = {
                "Replace a different model already in version 1 of DIR/NAME (by default it is"
                        + " kept and the export fails)."
            })
    boolean force;

    /**
     * Checks the options before any work.
     *
     * @param engineMaxBatch the largest batch of the engine that will be built, if one will
     */
    void validate(OptionalInt engineMaxBatch) {
        if (repository == null) {
            List<String> given = new ArrayList<>();
            if (name != null) {
                given.add("--name");
            }
            if (maxBatch != null) {
                given.add("--max-batch");
            }
            if (queueDelayMicros != null) {
                given.add("--max-queue-delay-us");
            }
            if (gpu) {
                given.add("--triton-gpu");
            }
            if (force) {
                given.add("--force");
            }
            if (!given.isEmpty()) {
                throw new IllegalArgumentException(
                        String.join(", ", given)
                                + (given.size() == 1 ? " only applies" : " only apply")
                                + " with --triton-repo");
            }
            return;
        }
        if (name != null) {
            TritonConfig.checkName(name);
        }
        if (maxBatch != null && maxBatch < 1) {
            throw new IllegalArgumentException("--max-batch must be >= 1, got " + maxBatch);
        }
        if (maxBatch != null
                && engineMaxBatch.isPresent()
                && maxBatch > engineMaxBatch.getAsInt()) {
            throw new IllegalArgumentException(
                    "--max-batch "
                            + maxBatch
                            + " exceeds the engine's largest batch "
                            + engineMaxBatch.getAsInt()
                            + "; raise MAX in --batch");
        }
        if (queueDelayMicros != null && queueDelayMicros < 0) {
            throw new IllegalArgumentException(
                    "--max-queue-delay-us must be >= 0, got " + queueDelayMicros);
        }
    }

    /**
     * Writes and reports the Triton model if {@code --triton-repo} was given.
     *
     * @param onnx the installed ONNX model
     * @param engine the engine built from it, served instead when present
     * @param out where the ONNX model was installed, for the default name
     */
    void write(byte[] onnx, Optional<EnginePlan> engine, Path out, PrintWriter stdout)
            throws IOException {
        if (repository == null) {
            return;
        }
        TritonModelWriter.Builder writer =
                TritonModelWriter.builder()
                        .setRepository(repository)
                        .setName(name != null ? name : defaultName(out))
                        .setOnnx(onnx)
                        .optGpu(gpu)
                        .optForce(force);
        engine.ifPresent(writer::optEngine);
        if (maxBatch != null) {
            writer.optMaxBatch(maxBatch);
        }
        if (queueDelayMicros != null) {
            writer.optQueueDelayMicros(queueDelayMicros);
        }
        TritonModel model = writer.build().write();
        TritonConfig config = model.config();
        stdout.printf(
                "wrote Triton model %s: %s, max_batch_size %d, preferred batches %s, %s%n",
                model.directory(),
                config.platform().configName(),
                config.maxBatchSize(),
                config.preferredBatchSizes(),
                config.gpu() ? "KIND_GPU" : "KIND_CPU");
        stdout.flush();
    }

    private static String defaultName(Path out) {
        String stem = ModelFileNames.stem(out);
        try {
            return TritonConfig.checkName(stem);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "--out's file name '" + stem + "' is no Triton model name; give --name", e);
        }
    }
}
