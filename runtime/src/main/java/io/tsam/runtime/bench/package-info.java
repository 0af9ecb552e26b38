/**
 * Latency and throughput of an exported model, alone and end to end, with the machine it ran on.
 */
package io.tsam.runtime.bench;
