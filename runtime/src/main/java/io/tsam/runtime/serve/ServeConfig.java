package io.tsam.runtime.serve;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * How an {@link InferenceServer} listens, batches and limits; checked once, in {@link
 * Builder#build()}, whose messages name the {@code tsam-run serve} option of each value.
 *
 * @param host the address to bind, loopback by default
 * @param port the TCP port; 0 picks a free one
 * @param modelName the name the model is served under ({@code /v2/models/{name}})
 * @param maxBatch the most clips one model run takes from the queue; a single request with more
 *     clips (an upload of a model with more test clips) still runs, alone
 * @param maxDelay how long the first request of a batch may wait for others to join it
 * @param maxQueue the most requests admitted at once (being read, decoded, queued or run); more are
 *     refused with 429 at once
 * @param maxUploadBytes the largest request body accepted; larger ones are refused with 413
 * @param topK the classes in a {@code /predict} answer
 * @param clips test clips per uploaded video; empty for the model's {@code num_clips}
 * @param drainTimeout how long {@link InferenceServer#close()} waits for admitted requests
 * @param grpcPort the TCP port of the KServe v2 gRPC service; 0 picks a free one, empty for none
 */
public record ServeConfig(
        String host,
        int port,
        String modelName,
        int maxBatch,
        Duration maxDelay,
        int maxQueue,
        long maxUploadBytes,
        int topK,
        OptionalInt clips,
        Duration drainTimeout,
        OptionalInt grpcPort) {

    /** The default address: loopback, so nothing is exposed unless asked for. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** The default port. */
    public static final int DEFAULT_PORT = 8080;

    /** The default {@link #maxBatch()}. */
    public static final int DEFAULT_MAX_BATCH = 8;

    /** The default {@link #maxDelay()}. */
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(5);

    /** The default {@link #maxQueue()}. */
    public static final int DEFAULT_MAX_QUEUE = 64;

    /** The default {@link #maxUploadBytes()}: 200 MiB. */
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 200L << 20;

    /** The default {@link #topK()}, as {@code tsam-run predict}. */
    public static final int DEFAULT_TOP_K = 5;

    /** The default {@link #drainTimeout()}: Kubernetes' default grace period. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);

    /** What a model name may hold: it is a URL path segment. */
    private static final Pattern MODEL_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    /** Returns a builder; only the model name is required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The name a model file is served under by default: its file name without the extension, with
     * every character a URL path segment cannot hold plainly replaced by {@code _}.
     */
    public static String defaultModelName(Path model) {
        String file = model.getFileName().toString();
        int dot = file.lastIndexOf('.');
        String stem = dot > 0 ? file.substring(0, dot) : file;
        String name = stem.replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() ? "model" : name;
    }

    /** Builds a {@link ServeConfig}. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private String modelName;
        private int maxBatch = DEFAULT_MAX_BATCH;
        private Duration maxDelay = DEFAULT_MAX_DELAY;
        private int maxQueue = DEFAULT_MAX_QUEUE;
        private long maxUploadBytes = DEFAULT_MAX_UPLOAD_BYTES;
        private int topK = DEFAULT_TOP_K;
        private Integer clips;
        private Duration drainTimeout = DEFAULT_DRAIN_TIMEOUT;
        private Integer grpcPort;

        private Builder() {}

        /** Sets the name the model is served under (required); see {@link #defaultModelName}. */
        public Builder setModelName(String modelName) {
            this.modelName = modelName;
            return this;
        }

        /** Sets the address to bind; {@value #DEFAULT_HOST} by default. */
        public Builder optHost(String host) {
            this.host = host;
            return this;
        }

        /** Sets the port; {@value #DEFAULT_PORT} by default, 0 for any free one. */
        public Builder optPort(int port) {
            this.port = port;
            return this;
        }

        /** Sets the most clips per model run; {@value #DEFAULT_MAX_BATCH} by default. */
        public Builder optMaxBatch(int maxBatch) {
            this.maxBatch = maxBatch;
            return this;
        }

        /** Sets how long a batch waits to fill; 5 ms by default. */
        public Builder optMaxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
            return this;
        }

        /** Sets the most requests admitted at once; {@value #DEFAULT_MAX_QUEUE} by default. */
        public Builder optMaxQueue(int maxQueue) {
            this.maxQueue = maxQueue;
            return this;
        }

        /** Sets the largest request body in bytes; 200 MiB by default. */
        public Builder optMaxUploadBytes(long maxUploadBytes) {
            this.maxUploadBytes = maxUploadBytes;
            return this;
        }

        /** Sets the classes in a {@code /predict} answer; {@value #DEFAULT_TOP_K} by default. */
        public Builder optTopK(int topK) {
            this.topK = topK;
            return this;
        }

        /** Sets the test clips per uploaded video; the model's {@code num_clips} by default. */
        public Builder optClips(int clips) {
            this.clips = clips;
            return this;
        }

        /** Sets how long closing waits for admitted requests; 30 s by default. */
        public Builder optDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
            return this;
        }

        /** Also serves the KServe v2 gRPC API on this port; 0 for any free one. None by default. */
        public Builder optGrpcPort(int grpcPort) {
            this.grpcPort = grpcPort;
            return this;
        }

        /**
         * Checks the values and builds the config.
         *
         * @throws IllegalArgumentException naming the first value out of range and what is allowed
         */
        public ServeConfig build() {
            Objects.requireNonNull(modelName, "modelName");
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(maxDelay, "maxDelay");
            Objects.requireNonNull(drainTimeout, "drainTimeout");
            if (!MODEL_NAME.matcher(modelName).matches()) {
                throw new IllegalArgumentException(
                        "model name (--name) '"
                                + modelName
                                + "' may hold only letters, digits, '.', '_' and '-'");
            }
            if (host.isBlank()) {
                throw new IllegalArgumentException("host (--host) must not be blank");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port (--port) must be 0 to 65535, got " + port);
            }
            if (grpcPort != null && (grpcPort < 0 || grpcPort > 65535)) {
                throw new IllegalArgumentException(
                        "gRPC port (--grpc-port) must be 0 to 65535, got " + grpcPort);
            }
            if (grpcPort != null && grpcPort == port && port != 0) {
                throw new IllegalArgumentException(
                        "gRPC port (--grpc-port) " + grpcPort + " is the HTTP port (--port)");
            }
            atLeastOne("max batch (--max-batch)", maxBatch);
            atLeastOne("max queue (--max-queue)", maxQueue);
            atLeastOne("top k (--topk)", topK);
            if (clips != null) {
                atLeastOne("clips (--clips)", clips);
            }
            if (maxUploadBytes < 1) {
                throw new IllegalArgumentException(
                        "max upload size (--max-upload-mb) must be >= 1 byte, got "
                                + maxUploadBytes);
            }
            if (maxDelay.isNegative()) {
                throw new IllegalArgumentException(
                        "max delay (--max-delay-ms) must be >= 0, got " + maxDelay);
            }
            if (drainTimeout.isNegative()) {
                throw new IllegalArgumentException(
                        "drain timeout must be >= 0, got " + drainTimeout);
            }
            return new ServeConfig(
                    host,
                    port,
                    modelName,
                    maxBatch,
                    maxDelay,
                    maxQueue,
                    maxUploadBytes,
                    topK,
                    clips == null ? OptionalInt.empty() : OptionalInt.of(clips),
                    drainTimeout,
                    grpcPort == null ? OptionalInt.empty() : OptionalInt.of(grpcPort));
        }

        private static void atLeastOne(String what, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(what + " must be >= 1, got " + value);
            }
        }
    }
}
