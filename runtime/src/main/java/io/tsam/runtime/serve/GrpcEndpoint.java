package io.tsam.runtime.serve;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gRPC listener (Netty) of {@link GrpcInferenceService}: calls run on a pool as large as the
 * HTTP one, because an admitted call holds its thread while it waits for its batch, and messages
 * may be as large as an HTTP body may.
 */
final class GrpcEndpoint {

    /** Threads beyond {@code maxQueue}, so refusals and health checks answer meanwhile. */
    private static final int SPARE_THREADS = 32;

    /** The HTTP/2 receive window: a whole TSAM-R50 clip (5.4 MB) and then some. */
    private static final int FLOW_CONTROL_WINDOW = 16 << 20;

    /** How long stopping waits for calls still being written. */
    private static final long STOP_TIMEOUT_MS = 5000;

    private final ExecutorService executor;
    private final Server server;
    private final int requestedPort;

    GrpcEndpoint(GrpcInferenceService service, ServeConfig config) {
        this.requestedPort = config.grpcPort().orElseThrow();
        AtomicInteger count = new AtomicInteger();
        this.executor =
                Executors.newFixedThreadPool(
                        config.maxQueue() + SPARE_THREADS,
                        r -> {
                            Thread t = new Thread(r, "tsam-serve-grpc-" + count.incrementAndGet());
                            t.setDaemon(true);
                            return t;
                        });
        this.server =
                NettyServerBuilder.forAddress(
                                new InetSocketAddress(
                                        config.host(), config.grpcPort().orElseThrow()))
                        .executor(executor)
                        .maxInboundMessageSize(
                                (int) Math.min(config.maxUploadBytes(), Integer.MAX_VALUE))
                        // A clip is megabytes: with the default 1 MiB window its upload waits for
                        // window updates several times (+12.7 % over the model run against +4 %
                        // for the same bytes over HTTP, TSAM-R50 at one client).
                        .flowControlWindow(FLOW_CONTROL_WINDOW)
                        .addService(service)
                        .build();
    }

    /**
     * Binds and starts serving.
     *
     * @throws UncheckedIOException naming the port if it cannot be bound
     */
    void start() {
        try {
            server.start();
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException(
                    "cannot serve gRPC on port "
                            + server.getListenSockets()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** The bound port. */
    int port() {
        return server.getPort();
    }

    /** Stops listening and waits briefly for calls still answering; idempotent. */
    void stop() {
        server.shutdown();
        try {
            if (!server.awaitTermination(STOP_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
    }
}
