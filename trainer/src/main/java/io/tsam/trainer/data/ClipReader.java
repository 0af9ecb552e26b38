package io.tsam.trainer.data;

import io.tsam.config.VideoEntry;
import io.tsam.media.MediaException;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import java.nio.file.Path;

/**
 * Reads items of a {@link ClipDataset} on one thread.
 *
 * <p>Consecutive reads of the same video share one open extractor, so the clips of a validation
 * video decode its audio image once. Not thread-safe; the caller owns it and closes it.
 */
public final class ClipReader implements AutoCloseable {
    private final ClipDataset dataset;
    private ClipExtractor extractor;
    private int openVideo = -1;
    private boolean closed;

    ClipReader(ClipDataset dataset) {
        this.dataset = dataset;
    }

    /**
     * Decodes {@code item} as it is seen in {@code epoch} (the epoch only matters for training
     * augmentation).
     *
     * @throws ClipLoadException naming the video, its file and the reason when it cannot be read
     * @throws IllegalStateException after {@link #close()}
     */
    public ClipItem read(int item, int epoch) {
        if (closed) {
            throw new IllegalStateException("the clip reader is closed");
        }
        VideoEntry entry = dataset.video(item);
        int clip = dataset.clipOf(item);
        try {
            int video = item / dataset.clipsPerVideo();
            if (video != openVideo) {
                closeExtractor();
                extractor = dataset.opener().open(entry.id());
                openVideo = video;
            }
            ClipTensors tensors =
                    dataset.split() == Split.TRAINING
                            ? extractor.trainClip(dataset.itemRandom(epoch, item))
                            : extractor.testClip(clip, dataset.clipsPerVideo());
            return new ClipItem(item, entry.id(), entry.label(), clip, tensors);
        } catch (RuntimeException e) {
            // A failed decoder may be in any state: never reuse it.
            closeExtractor();
            throw ClipLoadException.of(entry.id(), sourceOrNull(entry.id()), e);
        }
    }

    private Path sourceOrNull(String id) {
        try {
            return dataset.opener().source(id);
        } catch (MediaException e) {
            return null;
        }
    }

    private void closeExtractor() {
        if (extractor != null) {
            ClipExtractor open = extractor;
            extractor = null;
            openVideo = -1;
            open.close();
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeExtractor();
        }
    }
}
