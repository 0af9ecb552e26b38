/**
 * An HTTP inference server for exported TSAM models: the Open Inference Protocol v2 REST API, video
 * uploads, dynamic batching behind a bounded queue, and Prometheus metrics.
 */
package io.tsam.runtime.serve;
