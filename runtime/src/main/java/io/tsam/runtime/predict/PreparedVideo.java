package io.tsam.runtime.predict;

import io.tsam.media.pipeline.ClipTensors;
import java.nio.file.Path;
import java.util.List;

/**
 * One video's clips, decoded and ready for the model: the unit a batch is made of.
 *
 * @param file the video
 * @param frames the number of frames in the video
 * @param clips the test clips in clip order, each {@code video [T, 3, H, W]} and, for a model with
 *     audio, {@code audio [3, H, W]}
 * @param clipCount {@code C}: how many test clips the video was cut into; {@code clips} holds all
 *     of them, or one when a single clip was asked for
 * @param audio what the audio segment was built from
 * @param decodeNanos wall time of preparing the video: opening and decoding the file, transforming
 *     its frames, and waiting for the audio image if it was not ready by then
 * @param audioNanos time spent building the audio image, on its own thread while the frames decode
 */
public record PreparedVideo(
        Path file,
        int frames,
        List<ClipTensors> clips,
        int clipCount,
        AudioState audio,
        long decodeNanos,
        long audioNanos) {
    public PreparedVideo {
        clips = List.copyOf(clips);
        if (clips.isEmpty()) {
            throw new IllegalArgumentException(file + ": a prepared video needs at least one clip");
        }
    }
}
