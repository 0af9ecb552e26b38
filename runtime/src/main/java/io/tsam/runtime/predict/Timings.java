package io.tsam.runtime.predict;

/**
 * Where the time of one prediction went, in milliseconds.
 *
 * @param decodeMs opening the file, decoding the sampled frames, resizing, cropping, normalising
 * @param audioMs decoding and resampling the audio track and computing the log-mel image
 * @param inferenceMs filling the input buffers and running the model (for a batch of several
 *     videos, the whole batch's)
 * @param totalMs from opening the file to the probabilities
 */
public record Timings(double decodeMs, double audioMs, double inferenceMs, double totalMs) {}
