package io.tsam.media.pipeline;

/**
 * One clip as the model receives it, without the batch axis.
 *
 * @param video {@code [T, 3, crop, crop]} normalised RGB, row-major
 * @param audio {@code [3, crop, crop]} standardised log-mel image, or {@code null} for a video-only
 *     model
 * @param audioMissing the file has no audio track and {@code audio} is silence
 * @param frameIndices the 0-based frame of each of the {@code T} segments
 */
public record ClipTensors(float[] video, float[] audio, boolean audioMissing, int[] frameIndices) {}
