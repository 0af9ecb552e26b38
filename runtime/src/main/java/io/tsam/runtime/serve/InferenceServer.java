package io.tsam.runtime.serve;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.tsam.backend.InferenceBackend;
import io.tsam.backend.TensorSpec;
import io.tsam.config.ModelMetadata;
import io.tsam.runtime.predict.Predictor;
import io.tsam.runtime.serve.OipMessages.ErrorBody;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves one exported TSAM model over HTTP (Javalin on Jetty):
 *
 * <ul>
 *   <li>the Open Inference Protocol v2 REST API: {@code GET /v2}, {@code /v2/health/live}, {@code
 *       /v2/health/ready}, {@code /v2/models/{name}}, {@code /v2/models/{name}/ready} and {@code
 *       POST /v2/models/{name}/infer} (each model route also under {@code
 *       /v2/models/{name}/versions/1});
 *   <li>{@code POST /predict}: a video upload in, {@code tsam-run predict --json}'s object out;
 *   <li>{@code GET /metrics}: Prometheus' text format ({@link ServeMetrics});
 *   <li>with a gRPC port, the KServe v2 gRPC service ({@link GrpcInferenceService}).
 * </ul>
 *
 * <p>Both kinds of request go through one {@link DynamicBatcher}. Errors are {@code {"error":
 * "..."}} with the status {@link ErrorMapping} gives.
 *
 * <p>The server owns the backend it is started with, and the predictor it builds on it; {@link
 * #close()} stops admitting requests, answers every admitted one, stops Jetty, then closes the
 * backend. Thread-safe; a second close does nothing.
 */
public final class InferenceServer implements AutoCloseable {

    private static final Logger logger = LoggerFactory.getLogger(InferenceServer.class);

    /**
     * HTTP threads beyond {@code maxQueue}: every admitted request holds a thread while it waits
     * for its batch, and these keep refusals, health checks and metrics answering meanwhile.
     */
    private static final int SPARE_HTTP_THREADS = 32;

    /** How long Jetty may take to finish writing answers once every request is answered. */
    private static final int JETTY_STOP_TIMEOUT_MS = 5000;

    private final ServeConfig config;
    private final InferenceBackend backend;
    private final DynamicBatcher batcher;
    private final ServeMetrics metrics;
    private final Path tempDir;
    private final Javalin app;
    private final GrpcEndpoint grpc;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);

    private InferenceServer(
            ServeConfig config,
            InferenceBackend backend,
            Predictor predictor,
            ServeMetrics metrics,
            Path tempDir) {
        this.config = config;
        this.backend = backend;
        this.metrics = metrics;
        this.tempDir = tempDir;
        this.batcher =
                new DynamicBatcher(
                        predictor,
                        config.maxBatch(),
                        config.maxDelay(),
                        config.maxQueue(),
                        metrics);
        try {
            Map<String, TensorSpec> inputs =
                    backend.inputs().stream()
                            .collect(Collectors.toMap(TensorSpec::name, Function.identity()));
            BodyLimit limit = new BodyLimit(config.maxUploadBytes());
            InferService service =
                    new InferService(
                            config.modelName(),
                            inputs.get(ModelMetadata.VIDEO_INPUT),
                            inputs.get(ModelMetadata.AUDIO_INPUT),
                            backend.output(),
                            config.maxBatch(),
                            batcher);
            OipEndpoints oip = new OipEndpoints(service, limit);
            this.grpc =
                    config.grpcPort().isPresent()
                            ? new GrpcEndpoint(new GrpcInferenceService(service, metrics), config)
                            : null;
            PredictEndpoint predict =
                    new PredictEndpoint(
                            predictor,
                            batcher,
                            limit,
                            new UploadReceiver(tempDir),
                            config.topK(),
                            config.maxBatch());
            this.app = Javalin.create(this::configure);
            routes(oip, predict);
        } catch (RuntimeException e) {
            batcher.close();
            throw e;
        }
    }

    /**
     * Starts serving.
     *
     * @param backend runs the model; the server owns it from now on, and closes it even if starting
     *     fails
     * @param metadata the model's metadata
     * @param config where to listen and how to batch
     * @return the running server, which the caller closes
     * @throws IllegalArgumentException if the backend does not fit the metadata or takes smaller
     *     batches than {@code config.maxBatch()}
     * @throws UncheckedIOException if the temporary folder cannot be made
     * @throws io.javalin.util.JavalinBindException if the port cannot be bound
     */
    public static InferenceServer start(
            InferenceBackend backend, ModelMetadata metadata, ServeConfig config) {
        Path tempDir = null;
        try {
            if (config.maxBatch() > backend.maxBatch()) {
                throw new IllegalArgumentException(
                        "max batch (--max-batch) "
                                + config.maxBatch()
                                + " exceeds the largest batch the model runs, "
                                + backend.maxBatch());
            }
            Predictor.Builder builder =
                    Predictor.builder().setBackend(backend).setMetadata(metadata);
            config.clips().ifPresent(builder::optClips);
            Predictor predictor = builder.build();
            tempDir = Files.createTempDirectory("tsam-serve-");
            InferenceServer server =
                    new InferenceServer(config, backend, predictor, new ServeMetrics(), tempDir);
            try {
                server.listen();
            } catch (RuntimeException e) {
                server.close();
                throw e;
            }
            return server;
        } catch (IOException e) {
            backend.close();
            throw new UncheckedIOException("cannot create the server's temporary folder", e);
        } catch (RuntimeException e) {
            backend.close();
            deleteQuietly(tempDir);
            throw e;
        }
    }

    private void configure(JavalinConfig javalin) {
        javalin.showJavalinBanner = false;
        javalin.startupWatcherEnabled = false;
        javalin.jsonMapper(new BufferedJsonMapper());
        // Javalin checks a declared Content-Length against this before reading a body into
        // memory; BodyLimit enforces the same limit on the streams this server reads itself.
        javalin.http.maxRequestSize = config.maxUploadBytes();
        QueuedThreadPool threads = new QueuedThreadPool(config.maxQueue() + SPARE_HTTP_THREADS);
        threads.setName("tsam-serve-http");
        javalin.jetty.threadPool = threads;
        javalin.jetty.modifyServer(server -> server.setStopTimeout(JETTY_STOP_TIMEOUT_MS));
        javalin.requestLogger.http(
                (ctx, ms) -> metrics.request(route(ctx), ctx.statusCode(), ms / 1000.0));
    }

    /** Every route, in one place. */
    private void routes(OipEndpoints oip, PredictEndpoint predict) {
        String model = "/v2/models/{" + OipEndpoints.NAME_PARAM + "}";
        String version = model + "/versions/{" + OipEndpoints.VERSION_PARAM + "}";
        app.get("/v2", oip::server);
        app.get("/v2/health/live", oip::live);
        app.get("/v2/health/ready", oip::ready);
        for (String base : new String[] {model, version}) {
            app.get(base, oip::model);
            app.get(base + "/ready", oip::modelReady);
            app.post(base + "/infer", oip::infer);
        }
        app.post("/predict", predict::predict);
        app.get("/metrics", this::metrics);
        // Javalin answers its own HttpResponseExceptions (no route matched, ...) unless they have
        // a handler of their exact class.
        app.exception(HttpResponseException.class, this::error);
        app.exception(Exception.class, this::error);
    }

    private void listen() {
        app.start(config.host(), config.port());
        logger.info("serving {} on {} ({})", config.modelName(), baseUrl(), backend.description());
        if (grpc != null) {
            grpc.start();
            logger.info("gRPC (KServe v2) on {}:{}", config.host(), grpc.port());
        }
    }

    /**
     * The port of the gRPC service (the one picked, when the config asked for 0).
     *
     * @throws IllegalStateException when the config asked for no gRPC service
     */
    public int grpcPort() {
        if (grpc == null) {
            throw new IllegalStateException("this server has no gRPC service (--grpc-port)");
        }
        return grpc.port();
    }

    /** The port the server listens on (the one picked, when the config asked for 0). */
    public int port() {
        return app.port();
    }

    /** The root URL, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    /** What the server was started with. */
    public ServeConfig config() {
        return config;
    }

    /** The most requests admitted at once so far; never more than {@code maxQueue}. */
    int peakAdmitted() {
        return batcher.peakAdmitted();
    }

    /** The longest the batcher's queue has been so far. */
    int peakQueued() {
        return batcher.peakQueued();
    }

    /** The folder uploads are written to while they are classified; deleted on close. */
    Path tempDir() {
        return tempDir;
    }

    /** Blocks until {@link #close()} has finished, from whichever thread it was called. */
    public void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    /**
     * Shuts down gracefully: new requests get 503, admitted ones (being read, decoded, queued or
     * run) are answered, within the config's drain timeout; then Jetty stops and the backend is
     * closed. A second call waits for the first to finish.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            try {
                awaitClosed();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            if (!batcher.close(config.drainTimeout())) {
                logger.warn(
                        "requests were still in progress after the drain timeout of {}",
                        config.drainTimeout());
            }
            if (grpc != null) {
                grpc.stop();
            }
            app.stop();
            backend.close();
            deleteQuietly(tempDir);
        } finally {
            closedLatch.countDown();
        }
    }

    private void metrics(Context ctx) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.write(out);
        ctx.contentType(metrics.contentType());
        ctx.result(out.toByteArray());
    }

    private void error(Exception e, Context ctx) {
        ErrorMapping.Mapped mapped = ErrorMapping.of(e);
        if (ErrorMapping.isInternal(mapped)) {
            logger.error("{} {} failed", ctx.method(), ctx.path(), e);
        }
        metrics.error(route(ctx), mapped.reason());
        if (mapped.status() == 429) {
            ctx.header("Retry-After", "1");
        }
        ctx.status(mapped.status());
        ctx.json(new ErrorBody(mapped.message()));
    }

    /** The route template a request matched, so the metric labels stay a small set. */
    private static String route(Context ctx) {
        // A request no endpoint matched never leaves Javalin's BEFORE stage.
        if (ctx.handlerType() == HandlerType.BEFORE) {
            return ServeMetrics.UNMATCHED_ROUTE;
        }
        String path = ctx.endpointHandlerPath();
        return path == null || path.isEmpty() ? ServeMetrics.UNMATCHED_ROUTE : path;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(InferenceServer::deleteFile);
        } catch (IOException | UncheckedIOException e) {
            logger.warn("cannot delete the temporary folder {}", dir, e);
        }
    }

    private static void deleteFile(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
