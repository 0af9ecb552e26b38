package io.tsam.runtime.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The server's Prometheus metrics, in a registry of its own (never the client library's global one,
 * so two servers in one JVM count apart):
 *
 * <ul>
 *   <li>{@code tsam_serve_requests_total{route, status}}: answered requests: HTTP routes with their
 *       status code, gRPC methods ({@code /inference.GRPCInferenceService/ModelInfer}) with their
 *       status name;
 *   <li>{@code tsam_serve_errors_total{route, reason}}: refused or failed ones, by {@link
 *       ErrorMapping} reason;
 *   <li>{@code tsam_serve_queue_depth}: requests waiting for the batcher;
 *   <li>{@code tsam_serve_admitted_requests}: requests admitted and not yet answered;
 *   <li>{@code tsam_serve_batch_size}: clips per model run;
 *   <li>{@code tsam_serve_queue_wait_seconds}: from joining the queue to the start of its batch;
 *   <li>{@code tsam_serve_inference_seconds}: one batch's model run, ranking included;
 *   <li>{@code tsam_serve_request_duration_seconds{route}}: a whole request, body upload included.
 * </ul>
 */
final class ServeMetrics {

    /** Where an unmatched request is counted, so the route label stays a small set. */
    static final String UNMATCHED_ROUTE = "unmatched";

    private static final double[] SECONDS_BUCKETS = {
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
    };
    private static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Counter errors;
    private final Gauge queueDepth;
    private final Gauge admitted;
    private final Histogram batchSize;
    private final Histogram queueWait;
    private final Histogram inference;
    private final Histogram duration;

    ServeMetrics() {
        requests =
                Counter.builder()
                        .name("tsam_serve_requests_total")
                        .help(
                                "Requests answered, by HTTP route template or gRPC method, and status.")
                        .labelNames("route", "status")
                        .register(registry);
        errors =
                Counter.builder()
                        .name("tsam_serve_errors_total")
                        .help("Requests refused or failed, by route template and reason.")
                        .labelNames("route", "reason")
                        .register(registry);
        queueDepth =
                Gauge.builder()
                        .name("tsam_serve_queue_depth")
                        .help("Requests waiting for the batcher.")
                        .register(registry);
        admitted =
                Gauge.builder()
                        .name("tsam_serve_admitted_requests")
                        .help("Requests admitted (being read, decoded, queued or run).")
                        .register(registry);
        batchSize =
                Histogram.builder()
                        .name("tsam_serve_batch_size")
                        .help("Clips per model run.")
                        .classicOnly()
                        .classicUpperBounds(BATCH_BUCKETS)
                        .register(registry);
        queueWait =
                seconds("tsam_serve_queue_wait", "From joining the queue to its batch's start.");
        inference = seconds("tsam_serve_inference", "One batch's model run and ranking.");
        duration =
                Histogram.builder()
                        .name("tsam_serve_request_duration")
                        .unit(Unit.SECONDS)
                        .help("Whole requests, body upload included, by route template.")
                        .labelNames("route")
                        .classicOnly()
                        .classicUpperBounds(SECONDS_BUCKETS)
                        .register(registry);
    }

    private Histogram seconds(String name, String help) {
        return Histogram.builder()
                .name(name)
                .unit(Unit.SECONDS)
                .help(help)
                .classicOnly()
                .classicUpperBounds(SECONDS_BUCKETS)
                .register(registry);
    }

    /** Counts an answered HTTP request. */
    void request(String route, int status, double seconds) {
        request(route, Integer.toString(status), seconds);
    }

    /** Counts an answered request; a gRPC call's status is its code's name, e.g. {@code OK}. */
    void request(String route, String status, double seconds) {
        requests.labelValues(route, status).inc();
        duration.labelValues(route).observe(seconds);
    }

    /** Counts a refused or failed request. */
    void error(String route, String reason) {
        errors.labelValues(route, reason).inc();
    }

    /** Records the queue after a change. */
    void queue(int waiting, int admittedRequests) {
        queueDepth.set(waiting);
        admitted.set(admittedRequests);
    }

    /** Records one model run. */
    void batch(int clips, long nanos) {
        batchSize.observe(clips);
        inference.observe(Unit.nanosToSeconds(nanos));
    }

    /** Records how long one request waited for its batch. */
    void queueWait(long nanos) {
        queueWait.observe(Unit.nanosToSeconds(nanos));
    }

    /** The media type of {@link #write}'s output. */
    String contentType() {
        return writer.getContentType();
    }

    /** Writes every metric in the Prometheus text format. */
    void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
