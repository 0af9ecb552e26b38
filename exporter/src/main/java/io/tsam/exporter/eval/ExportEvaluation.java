package io.tsam.exporter.eval;

import io.tsam.backend.InferenceBackend;
import io.tsam.config.DataConfig;
import io.tsam.config.TsamConfig;
import io.tsam.config.VideoEntry;
import io.tsam.config.VideoList;
import io.tsam.exporter.eval.EvaluationReport.FailedVideo;
import io.tsam.exporter.verify.NetInference;
import io.tsam.exporter.verify.ParityInput;
import io.tsam.exporter.verify.Tolerance;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.DatasetVideos;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.media.sampling.FrameSampling;
import io.tsam.model.net.TsamNet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scores an exported model and the net it came from on a validation list: each video's test clips
 * ({@code model_validation.num_clips} of them, SPEC §2) are built by the media pipeline from the
 * files {@link DatasetVideos} opens for its id (the rule the trainer's validation follows), run
 * through the exported model on its backend (all clips of a video as one batch) and through the DJL
 * net in inference mode, and each implementation's clips are averaged per video.
 *
 * <p>A video that cannot be opened or decoded is reported to the listener and skipped; the report
 * counts it. Anything else that fails (the backend, the net) ends the run with its exception.
 */
public final class ExportEvaluation {

    private final InferenceBackend backend;
    private final TsamNet net;
    private final TsamConfig config;
    private final DataConfig data;
    private final VideoList videos;
    private final EvaluationListener listener;
    private final Tolerance tolerance;
    private final FrameSampling sampling;

    private ExportEvaluation(Builder builder) {
        this.backend = builder.backend;
        this.net = builder.net;
        this.config = builder.config;
        this.data = builder.data;
        this.videos = builder.videos;
        this.listener = builder.listener;
        this.tolerance = builder.tolerance;
        this.sampling = builder.sampling;
    }

    /** Returns a builder; backend, net, config, data and videos are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores every video of the list.
     *
     * @return the report, which lists the videos that were skipped
     * @throws IllegalStateException if the backend fails to run a batch
     */
    public EvaluationReport run() {
        MediaConfig media = MediaConfig.of(config).withSampling(sampling);
        int clips = config.modelValidation().numClips();
        DatasetVideos opener = new DatasetVideos(data, media);
        ScoreBoard board =
                new ScoreBoard(net.classes(), config.modelValidation().average(), tolerance);
        List<FailedVideo> failed = new ArrayList<>();
        List<VideoEntry> entries = videos.entries();
        for (int i = 0; i < entries.size(); i++) {
            VideoEntry entry = entries.get(i);
            List<ClipTensors> tensors;
            try {
                tensors = decode(opener, entry.id(), clips);
            } catch (RuntimeException e) {
                // The media pipeline's errors name the file; a failed decoder is closed.
                FailedVideo video = new FailedVideo(entry.id(), reason(e));
                failed.add(video);
                listener.videoFailed(video, i + 1, entries.size());
                continue;
            }
            ParityInput batch =
                    ParityInput.clips(entry.id(), config.model(), media.cropSize(), tensors);
            board.add(
                    entry.label(),
                    backend.run(batch.batch(), batch.feeds()),
                    NetInference.logits(net, batch));
            listener.videoScored(entry.id(), i + 1, entries.size());
        }
        return board.report(videos.file(), clips, failed);
    }

    private static List<ClipTensors> decode(DatasetVideos opener, String id, int clips) {
        try (ClipExtractor extractor = opener.open(id)) {
            List<ClipTensors> tensors = new ArrayList<>(clips);
            for (int clip = 0; clip < clips; clip++) {
                tensors.add(extractor.testClip(clip, clips));
            }
            return tensors;
        }
    }

    private static String reason(RuntimeException e) {
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }

    /** Builds an {@link ExportEvaluation}. */
    public static final class Builder {

        private InferenceBackend backend;
        private TsamNet net;
        private TsamConfig config;
        private DataConfig data;
        private VideoList videos;
        private EvaluationListener listener = EvaluationListener.NONE;
        private Tolerance tolerance = Tolerance.FP32;
        private FrameSampling sampling = FrameSampling.EXACT;

        private Builder() {}

        /** Sets what runs the exported model; the caller owns and closes it (required). */
        public Builder setBackend(InferenceBackend backend) {
            this.backend = backend;
            return this;
        }

        /** Sets the net the model was exported from, with its weights (required). */
        public Builder setNet(TsamNet net) {
            this.net = net;
            return this;
        }

        /**
         * Sets the model file the net was built from: its media settings build the clips and its
         * {@code model_validation.num_clips} says how many per video (required).
         */
        public Builder setConfig(TsamConfig config) {
            this.config = config;
            return this;
        }

        /** Sets the data file that says where the videos are (required). */
        public Builder setData(DataConfig data) {
            this.data = data;
            return this;
        }

        /** Sets the videos to score, usually the data file's validation list (required). */
        public Builder setVideos(VideoList videos) {
            this.videos = videos;
            return this;
        }

        /** Sets who hears about each video; nobody by default. */
        public Builder optListener(EvaluationListener listener) {
            this.listener = listener;
            return this;
        }

        /** Sets the rule the logits are held to; {@link Tolerance#FP32} by default. */
        public Builder optTolerance(Tolerance tolerance) {
            this.tolerance = Objects.requireNonNull(tolerance, "tolerance");
            return this;
        }

        /**
         * Sets which frames the test clips take, for both the model and the net; {@link
         * FrameSampling#EXACT} by default.
         */
        public Builder optSampling(FrameSampling sampling) {
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            return this;
        }

        /**
         * Returns the evaluation.
         *
         * @throws NullPointerException if a required value is missing
         * @throws IllegalArgumentException if the config is not the net's, a label of the list is
         *     not one of the net's classes
         */
        public ExportEvaluation build() {
            Objects.requireNonNull(backend, "ExportEvaluation needs setBackend");
            Objects.requireNonNull(net, "ExportEvaluation needs setNet");
            Objects.requireNonNull(config, "ExportEvaluation needs setConfig");
            Objects.requireNonNull(data, "ExportEvaluation needs setData");
            Objects.requireNonNull(videos, "ExportEvaluation needs setVideos");
            Objects.requireNonNull(listener, "listener");
            if (!config.model().equals(net.model())) {
                throw new IllegalArgumentException(
                        "the evaluation's model config "
                                + config.model()
                                + " is not the one the net was built from, "
                                + net.model());
            }
            videos.requireLabelsBelow(net.classes());
            return new ExportEvaluation(this);
        }
    }
}
