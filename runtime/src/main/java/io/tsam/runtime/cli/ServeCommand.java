package io.tsam.runtime.cli;

import io.tsam.common.cli.ExitCode;
import io.tsam.runtime.TsamModel;
import io.tsam.runtime.serve.InferenceServer;
import io.tsam.runtime.serve.ServeConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-run serve}: serves a model over HTTP ({@link InferenceServer}) until SIGTERM or
 * Ctrl-C, then shuts down gracefully.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Serve an exported model over HTTP: the Open Inference Protocol v2 REST API"
                    + " (/v2, /v2/health/live, /v2/health/ready, /v2/models/NAME,"
                    + " /v2/models/NAME/ready, POST /v2/models/NAME/infer with 'video' and 'audio'"
                    + " FP32 tensors, as JSON or with Triton's binary tensor data extension), with"
                    + " --grpc-port the same API over gRPC (KServe v2 GRPCInferenceService), POST"
                    + " /predict with a video upload (multipart field 'file', or the raw body)"
                    + " answering with predict --json's object, and Prometheus metrics at"
                    + " /metrics. Concurrent requests are batched. SIGTERM finishes the requests"
                    + " in progress, then exits."
        })
final class ServeCommand implements Callable<Integer> {

    private static final long BYTES_PER_MB = 1L << 20;

    @Mixin ModelOptions modelOptions;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "The model's name in URLs (default: the .onnx file name without .onnx).")
    String name;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            defaultValue = ServeConfig.DEFAULT_HOST,
            description =
                    "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0"
                            + " for every interface).")
    String host;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "" + ServeConfig.DEFAULT_PORT,
            description = "TCP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--grpc-port",
            paramLabel = "PORT",
            description =
                    "Also serve the KServe v2 gRPC API (inference.GRPCInferenceService) on this"
                            + " port; 0 picks a free one (default: no gRPC).")
    Integer grpcPort;

    @Option(
            names = "--max-batch",
            paramLabel = "N",
            defaultValue = "" + ServeConfig.DEFAULT_MAX_BATCH,
            description =
                    "Most clips per model run, gathered from concurrent requests; also the most"
                            + " samples one infer request may send (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(
            names = "--max-delay-ms",
            paramLabel = "MS",
            defaultValue = "5",
            description =
                    "Most time a request waits for others to join its batch (default:"
                            + " ${DEFAULT-VALUE}).")
    long maxDelayMs;

    @Option(
            names = "--max-queue",
            paramLabel = "N",
            defaultValue = "" + ServeConfig.DEFAULT_MAX_QUEUE,
            description =
                    "Most requests in progress at once (being read, decoded, queued or run); more"
                            + " are refused with 429 (default: ${DEFAULT-VALUE}).")
    int maxQueue;

    @Option(
            names = "--max-upload-mb",
            paramLabel = "MB",
            defaultValue = "200",
            description =
                    "Largest request body in MiB; larger gets 413 (default: ${DEFAULT-VALUE}).")
    long maxUploadMb;

    @Option(
            names = "--topk",
            paramLabel = "K",
            defaultValue = "" + ServeConfig.DEFAULT_TOP_K,
            description = "Classes in a /predict answer (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(
            names = "--clips",
            paramLabel = "C",
            description =
                    "Test clips per uploaded video (default: the model's"
                            + " model_validation.num_clips).")
    Integer clips;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (maxDelayMs < 0) {
            throw new IllegalArgumentException("--max-delay-ms must be >= 0, got " + maxDelayMs);
        }
        if (maxUploadMb < 1 || maxUploadMb > Long.MAX_VALUE / BYTES_PER_MB) {
            throw new IllegalArgumentException(
                    "--max-upload-mb must be >= 1 and fit in 64 bits as bytes, got " + maxUploadMb);
        }
        ServeConfig.Builder builder =
                ServeConfig.builder()
                        .setModelName(
                                name != null
                                        ? name
                                        : ServeConfig.defaultModelName(modelOptions.model))
                        .optHost(host)
                        .optPort(port)
                        .optMaxBatch(maxBatch)
                        .optMaxDelay(Duration.ofMillis(maxDelayMs))
                        .optMaxQueue(maxQueue)
                        .optMaxUploadBytes(maxUploadMb * BYTES_PER_MB)
                        .optTopK(topK);
        if (clips != null) {
            builder.optClips(clips);
        }
        if (grpcPort != null) {
            builder.optGrpcPort(grpcPort);
        }
        ServeConfig config = builder.build();
        TsamModel model = modelOptions.open(null);
        PrintWriter out = spec.commandLine().getOut();
        model.providerNote().ifPresent(note -> out.println("provider: " + note));
        // The server owns the backend from here on, and closes it.
        InferenceServer server = InferenceServer.start(model.backend(), model.metadata(), config);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "tsam-serve-shutdown"));
        out.println(
                String.format(
                        Locale.ROOT,
                        "serving %s (%s) at %s: POST /v2/models/%s/infer, POST /predict, GET"
                                + " /metrics; %s",
                        config.modelName(),
                        modelOptions.file(),
                        server.baseUrl(),
                        config.modelName(),
                        model.backend().description()));
        if (grpcPort != null) {
            out.println(
                    String.format(
                            Locale.ROOT,
                            "gRPC (KServe v2 inference.GRPCInferenceService) at %s:%d",
                            config.host(),
                            server.grpcPort()));
        }
        out.println(
                String.format(
                        Locale.ROOT,
                        "max batch %d, max delay %d ms, max queue %d, max upload %d MiB;"
                                + " SIGTERM or Ctrl-C stops",
                        config.maxBatch(),
                        maxDelayMs,
                        config.maxQueue(),
                        maxUploadMb));
        out.flush();
        server.awaitClosed();
        return ExitCode.OK;
    }
}
