package io.tsam.media.video;

/**
 * What a {@link FrameSource} has done so far, cumulative since it was opened; it shows whether
 * sampling a few frames of a long video stayed cheap.
 *
 * @param framesDecoded pictures the decoder produced (JPEG files read, for a folder)
 * @param seeks times the demuxer was repositioned (a reopen to rewind counts as one)
 */
public record DecodeStats(long framesDecoded, long seeks) {}
