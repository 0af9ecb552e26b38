package io.tsam.exporter.calibration;

import io.tsam.config.DataConfig;
import io.tsam.config.VideoEntry;
import io.tsam.config.VideoList;
import io.tsam.exporter.onnx.TsamOnnxFormat;
import io.tsam.media.MediaException;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.DatasetVideos;
import io.tsam.media.pipeline.MediaConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calibration batches of real clips: the videos of a data file's validation list, each turned into
 * its test clip (middle frame of each segment, centre crop, the audio image) by the media pipeline,
 * exactly as the deployed model will receive them (SPEC §2).
 *
 * <p>The list is shuffled with a fixed seed so that a few batches cover many classes even when the
 * list is sorted by label, and the same data file always calibrates the same way. A video whose
 * frame folder {@code dir_frames/<id>/} exists is read from its frames (with {@code
 * dir_audios/<id>.wav}, else the video file's track, as audio), otherwise from its video file. A
 * video that cannot be read is skipped with a warning; only full batches are returned, at most
 * {@code maxBatches} of them. Not thread-safe; TensorRT calls it from one thread.
 */
public final class ClipCalibrationSource implements CalibrationSource {

    /** The default number of batches: enough for entropy calibration of a classifier's scales. */
    public static final int DEFAULT_MAX_BATCHES = 16;

    private static final Logger logger = LoggerFactory.getLogger(ClipCalibrationSource.class);
    private static final long SHUFFLE_SEED = 1;
    private static final int DIGEST_HEX_DIGITS = 16;

    private final DataConfig data;
    private final MediaConfig media;
    private final int batchSize;
    private final int maxBatches;
    private final List<VideoEntry> order;
    private final String description;
    private final DatasetVideos videos;
    private int next;
    private int batches;
    private int skipped;

    private ClipCalibrationSource(
            DataConfig data,
            MediaConfig media,
            int batchSize,
            int maxBatches,
            List<VideoEntry> order,
            String description) {
        this.data = data;
        this.media = media;
        this.batchSize = batchSize;
        this.maxBatches = maxBatches;
        this.order = order;
        this.description = description;
        this.videos = new DatasetVideos(data, media);
    }

    /** Returns a builder; the data file, the media settings and the batch size are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    /**
     * Decodes the next {@link #batchSize()} readable videos of the list into one batch.
     *
     * @throws IllegalArgumentException if not even the first batch could be filled
     */
    @Override
    public Optional<Map<String, float[]>> nextBatch() {
        if (batches == maxBatches) {
            return Optional.empty();
        }
        float[] video = new float[batchSize * media.videoLength()];
        float[] audio = media.audio() ? new float[batchSize * media.imageLength()] : null;
        int filled = 0;
        while (filled < batchSize && next < order.size()) {
            VideoEntry entry = order.get(next++);
            try (ClipExtractor extractor = videos.open(entry.id())) {
                ClipTensors clip = extractor.testClip(0, 1);
                System.arraycopy(
                        clip.video(), 0, video, filled * clip.video().length, clip.video().length);
                if (audio != null) {
                    System.arraycopy(
                            clip.audio(),
                            0,
                            audio,
                            filled * clip.audio().length,
                            clip.audio().length);
                }
                filled++;
            } catch (MediaException e) {
                skipped++;
                logger.warn("calibration skips {}: {}", entry.id(), e.getMessage());
            }
        }
        if (filled < batchSize) {
            if (batches == 0) {
                throw new IllegalArgumentException(
                        data.valList()
                                + ": not one calibration batch of "
                                + batchSize
                                + " clips could be made ("
                                + order.size()
                                + " videos listed, "
                                + skipped
                                + " unreadable)");
            }
            return Optional.empty();
        }
        batches++;
        Map<String, float[]> batch = new LinkedHashMap<>();
        batch.put(TsamOnnxFormat.VIDEO, video);
        if (audio != null) {
            batch.put(TsamOnnxFormat.AUDIO, audio);
        }
        return Optional.of(batch);
    }

    @Override
    public String description() {
        return description;
    }

    /** The batches returned so far. */
    public int batchesReturned() {
        return batches;
    }

    /** The videos skipped so far because they could not be read. */
    public int videosSkipped() {
        return skipped;
    }

    /** Builds a {@link ClipCalibrationSource}. */
    public static final class Builder {

        private DataConfig data;
        private MediaConfig media;
        private int batchSize;
        private int maxBatches = DEFAULT_MAX_BATCHES;

        private Builder() {}

        /** Sets the data file whose validation list gives the clips (required). */
        public Builder setData(DataConfig data) {
            this.data = data;
            return this;
        }

        /** Sets the model's media settings, {@link MediaConfig#of} its model file (required). */
        public Builder setMedia(MediaConfig media) {
            this.media = media;
            return this;
        }

        /** Sets the number of clips in a batch (required, at least 1). */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Sets the most batches returned; {@value #DEFAULT_MAX_BATCHES} by default. */
        public Builder optMaxBatches(int maxBatches) {
            this.maxBatches = maxBatches;
            return this;
        }

        /**
         * Reads the validation list and returns the source; no video is decoded yet.
         *
         * @throws NullPointerException if a required value is missing
         * @throws IllegalArgumentException if a count is below 1, the list cannot be read, or it
         *     lists fewer videos than one batch
         */
        public ClipCalibrationSource build() {
            Objects.requireNonNull(data, "ClipCalibrationSource needs setData");
            Objects.requireNonNull(media, "ClipCalibrationSource needs setMedia");
            if (batchSize < 1) {
                throw new IllegalArgumentException(
                        "the calibration batch size must be >= 1, got " + batchSize);
            }
            if (maxBatches < 1) {
                throw new IllegalArgumentException(
                        "the number of calibration batches must be >= 1, got " + maxBatches);
            }
            Path listFile = data.valList();
            VideoList list = VideoList.read(listFile);
            if (list.size() < batchSize) {
                throw new IllegalArgumentException(
                        listFile
                                + ": lists "
                                + list.size()
                                + " videos, fewer than one calibration batch of "
                                + batchSize);
            }
            List<VideoEntry> order = new ArrayList<>(list.entries());
            Collections.shuffle(order, new Random(SHUFFLE_SEED));
            String description =
                    "validation list "
                            + listFile
                            + " (sha256 "
                            + sha256(listFile)
                            + "), up to "
                            + maxBatches
                            + " batches of "
                            + batchSize
                            + " test clips";
            return new ClipCalibrationSource(
                    data, media, batchSize, maxBatches, List.copyOf(order), description);
        }

        private static String sha256(Path file) {
            try {
                byte[] digest =
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
                return HexFormat.of().formatHex(digest).substring(0, DIGEST_HEX_DIGITS);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every JVM has SHA-256", e);
            }
        }
    }
}
