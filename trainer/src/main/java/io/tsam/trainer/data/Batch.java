package io.tsam.trainer.data;

import java.util.List;

/**
 * A batch of clips ready to become the model's inputs (SPEC §2). Arrays are not copied: the batch
 * owns them and the loader never touches them after handing the batch over.
 *
 * @param index the batch's position in its epoch, from 0
 * @param segments {@code T}, frames per clip
 * @param cropSize {@code H = W}, the side of every image
 * @param video {@code [B, T, 3, H, W]} normalised RGB, row-major
 * @param audio {@code [B, 3, H, W]} log-mel images, row-major; empty for a video-only model
 * @param labels {@code [B]} class indices
 * @param videoIds the list file's id of each clip's video
 * @param clips {@code [B]} test clip index of each clip (0 in training)
 * @param items {@code [B]} dataset item index of each clip
 * @param audioMissing {@code [B]} whether a clip's audio is silence because its file has no audio
 */
public record Batch(
        int index,
        int segments,
        int cropSize,
        float[] video,
        float[] audio,
        int[] labels,
        List<String> videoIds,
        int[] clips,
        int[] items,
        boolean[] audioMissing) {

    public Batch {
        videoIds = List.copyOf(videoIds);
    }

    /** The number of clips, {@code B}. */
    public int size() {
        return labels.length;
    }

    /** Whether the batch carries an audio tensor. */
    public boolean hasAudio() {
        return audio.length > 0;
    }

    /** The video tensor's shape {@code [B, T, 3, H, W]}. */
    public long[] videoShape() {
        return new long[] {size(), segments, 3, cropSize, cropSize};
    }

    /**
     * The audio tensor's shape {@code [B, 3, H, W]}.
     *
     * @throws IllegalStateException for a video-only model's batch
     */
    public long[] audioShape() {
        if (!hasAudio()) {
            throw new IllegalStateException("the batch has no audio (audio_segments = 0)");
        }
        return new long[] {size(), 3, cropSize, cropSize};
    }
}
