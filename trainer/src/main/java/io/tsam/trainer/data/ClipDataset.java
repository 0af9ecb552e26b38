package io.tsam.trainer.data;

import io.tsam.config.DataConfig;
import io.tsam.config.TsamConfig;
import io.tsam.config.VideoEntry;
import io.tsam.config.VideoList;
import io.tsam.media.pipeline.DatasetVideos;
import io.tsam.media.pipeline.MediaConfig;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * The clips of one list file, as items a {@link BatchLoader} batches.
 *
 * <p>A training dataset has one item per video: each time it is read, a random frame per segment
 * and a random crop and flip (SPEC §2) drawn from a generator seeded by {@code (seed, epoch,
 * item)}, so an item's pixels depend neither on threads, nor on batch size, nor on reading order. A
 * validation dataset has {@code num_clips} items per video, video-major: item {@code v * C + c} is
 * test clip {@code c} of video {@code v}. Immutable and thread-safe; reading goes through a
 * per-thread {@link ClipReader}.
 */
public final class ClipDataset {
    // Stream constants that keep the shuffle and the per-item augmentation streams apart.
    private static final long SHUFFLE_STREAM = 0x5348_5546_464cL;
    private static final long ITEM_STREAM = 0x4954_454dL;

    private final Split split;
    private final List<VideoEntry> videos;
    private final int clipsPerVideo;
    private final long seed;
    private final MediaConfig media;
    private final DatasetVideos opener;

    private ClipDataset(Split split, DataConfig data, TsamConfig config, VideoList list) {
        this.split = split;
        this.videos = Objects.requireNonNull(list, "list").entries();
        this.clipsPerVideo = split == Split.TRAINING ? 1 : config.modelValidation().numClips();
        this.seed = config.trainingParam().seed();
        this.media = MediaConfig.of(config);
        this.opener = new DatasetVideos(Objects.requireNonNull(data, "data"), media);
    }

    /**
     * The training items of {@code list}: one per video, augmented per {@code data_augmentation},
     * seeded by {@code training_param.seed}.
     */
    public static ClipDataset training(DataConfig data, TsamConfig config, VideoList list) {
        return new ClipDataset(Split.TRAINING, data, config, list);
    }

    /** The validation items of {@code list}: {@code model_validation.num_clips} per video. */
    public static ClipDataset validation(DataConfig data, TsamConfig config, VideoList list) {
        return new ClipDataset(Split.VALIDATION, data, config, list);
    }

    /** Which list this is. */
    public Split split() {
        return split;
    }

    /** The number of items: videos times clips per video. */
    public int size() {
        return videos.size() * clipsPerVideo;
    }

    /** The number of videos in the list. */
    public int videoCount() {
        return videos.size();
    }

    /** Items per video: 1 for training, {@code model_validation.num_clips} for validation. */
    public int clipsPerVideo() {
        return clipsPerVideo;
    }

    /** The media settings every clip is built with. */
    public MediaConfig media() {
        return media;
    }

    /** The list entry of {@code item}'s video. */
    public VideoEntry video(int item) {
        Objects.checkIndex(item, size());
        return videos.get(item / clipsPerVideo);
    }

    /** The test clip index of {@code item}; 0 for training items. */
    public int clipOf(int item) {
        Objects.checkIndex(item, size());
        return item % clipsPerVideo;
    }

    /**
     * The order items are read in during {@code epoch}: for training a shuffle seeded by {@code
     * training_param.seed + epoch}, so a resumed run sees the same order; for validation the list
     * order.
     */
    public int[] order(int epoch) {
        int[] order = new int[size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (split == Split.TRAINING) {
            SplittableRandom rng =
                    new SplittableRandom(SeedMixer.mix(seed + epoch, SHUFFLE_STREAM));
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int swap = order[i];
                order[i] = order[j];
                order[j] = swap;
            }
        }
        return order;
    }

    /**
     * Batches per epoch: training drops the last incomplete batch (so a list shorter than the batch
     * has none), validation keeps it.
     */
    public int batchCount(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        return split == Split.TRAINING ? size() / batchSize : (size() + batchSize - 1) / batchSize;
    }

    /** A reader for one thread; the caller closes it. */
    public ClipReader newReader() {
        return new ClipReader(this);
    }

    DatasetVideos opener() {
        return opener;
    }

    /** The augmentation stream of {@code item} in {@code epoch}. */
    RandomGenerator itemRandom(int epoch, int item) {
        return new SplittableRandom(SeedMixer.mix(SeedMixer.mix(seed ^ ITEM_STREAM, epoch), item));
    }
}
