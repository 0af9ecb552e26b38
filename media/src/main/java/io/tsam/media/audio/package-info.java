/**
 * Audio decoding and the log-mel audio image of SPEC §2: decode, mix to mono, resample to 16 kHz,
 * three log-mel spectrograms resized and standardised into one {@code [3, H, W]} tensor.
 */
package io.tsam.media.audio;
