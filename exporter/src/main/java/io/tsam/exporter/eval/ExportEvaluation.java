package io.tsam.exporter.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tsam.config.DataConfig;
import io.tsam.config.TsamConfig;
import io.tsam.config.VideoEntry;
import io.tsam.config.VideoList;
import io.tsam.exporter.eval.EvaluationReport.FailedVideo;
import io.tsam.exporter.onnx.TsamOnnxFormat;
import io.tsam.exporter.verify.ParityInput;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.DatasetVideos;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.model.net.TsamNet;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Scores an exported model and the net it came from on a validation list: each video's test clips
 * ({@code model_validation.num_clips} of them, SPEC §2) are built by the media pipeline from the
 * files {@link DatasetVideos} opens for its id (the rule the trainer's validation follows), run
 * through the ONNX model in ONNX Runtime (CPU, all clips of a video as one batch) and through the
 * DJL net in inference mode, and each implementation's clip probabilities are averaged per video.
 *
 * <p>A video that cannot be opened or decoded is reported to the listener and skipped; the report
 * counts it. Anything else that fails (ONNX Runtime, the net) ends the run with its exception.
 */
public final class ExportEvaluation {

    private static final int RGB = 3;

    private final OrtEnvironment environment;
    private final TsamNet net;
    private final byte[] model;
    private final TsamConfig config;
    private final DataConfig data;
    private final VideoList videos;
    private final EvaluationListener listener;
    private final int intraOpThreads;

    private ExportEvaluation(Builder builder) {
        this.environment = builder.environment;
        this.net = builder.net;
        this.model = builder.model;
        this.config = builder.config;
        this.data = builder.data;
        this.videos = builder.videos;
        this.listener = builder.listener;
        this.intraOpThreads = builder.intraOpThreads;
    }

    /** Returns a builder; environment, net, model, config, data and videos are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Scores every video of the list.
     *
     * @return the report, which lists the videos that were skipped
     * @throws OrtException if ONNX Runtime cannot load or run the model
     */
    public EvaluationReport run() throws OrtException {
        MediaConfig media = MediaConfig.of(config);
        int clips = config.modelValidation().numClips();
        DatasetVideos opener = new DatasetVideos(data, media);
        ScoreBoard board = new ScoreBoard(net.classes(), config.modelValidation().average());
        List<FailedVideo> failed = new ArrayList<>();
        List<VideoEntry> entries = videos.entries();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (intraOpThreads > 0) {
                options.setIntraOpNumThreads(intraOpThreads);
            }
            try (OrtSession session = environment.createSession(model, options);
                    NDManager manager = NDManager.newBaseManager(Device.cpu())) {
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
                            ParityInput.clips(
                                    entry.id(), config.model(), media.cropSize(), tensors);
                    board.add(entry.label(), runOnnx(session, batch), runDjl(manager, batch));
                    listener.videoScored(entry.id(), i + 1, entries.size());
                }
            }
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

    private float[] runOnnx(OrtSession session, ParityInput batch) throws OrtException {
        List<OnnxTensor> tensors = new ArrayList<>();
        try {
            Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
            feeds.put(TsamOnnxFormat.VIDEO, tensor(tensors, batch.video(), batch.videoShape()));
            if (batch.audio().isPresent()) {
                feeds.put(
                        TsamOnnxFormat.AUDIO,
                        tensor(tensors, batch.audio().get(), batch.audioShape()));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                FloatBuffer values =
                        ((OnnxTensor) result.get(TsamOnnxFormat.LOGITS).orElseThrow())
                                .getFloatBuffer();
                float[] logits = new float[values.remaining()];
                values.get(logits);
                return logits;
            }
        } finally {
            tensors.forEach(OnnxTensor::close);
        }
    }

    private OnnxTensor tensor(List<OnnxTensor> owned, float[] data, long[] shape)
            throws OrtException {
        OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(data), shape);
        owned.add(tensor);
        return tensor;
    }

    /**
     * Runs the net one clip at a time: DJL keeps every intermediate array until its manager closes,
     * so a batch would hold the activations of all its images at once. In inference mode the clips
     * do not interact, so the rows are the same.
     */
    private float[] runDjl(NDManager manager, ParityInput batch) {
        long[] videoShape = batch.videoShape();
        long[] audioShape = batch.audioShape();
        int clips = batch.batch();
        videoShape[0] = 1;
        audioShape[0] = 1;
        float[] video = batch.video();
        float[] audio = batch.audio().orElse(null);
        int videoLength = video.length / clips;
        int audioLength = RGB * Math.toIntExact(audioShape[2] * audioShape[3]);
        int classes = net.classes();
        float[] logits = new float[clips * classes];
        for (int clip = 0; clip < clips; clip++) {
            try (NDManager scope = manager.newSubManager()) {
                NDList inputs =
                        new NDList(clip(scope, video, clip * videoLength, videoLength, videoShape));
                if (audio != null) {
                    inputs.add(clip(scope, audio, clip * audioLength, audioLength, audioShape));
                }
                NDArray row =
                        net.forward(new ParameterStore(scope, false), inputs, false)
                                .singletonOrThrow();
                System.arraycopy(row.toFloatArray(), 0, logits, clip * classes, classes);
            }
        }
        return logits;
    }

    private static NDArray clip(
            NDManager manager, float[] values, int offset, int length, long[] shape) {
        float[] part = new float[length];
        System.arraycopy(values, offset, part, 0, length);
        return manager.create(part, new Shape(shape));
    }

    /** Builds an {@link ExportEvaluation}. */
    public static final class Builder {

        private OrtEnvironment environment;
        private TsamNet net;
        private byte[] model;
        private TsamConfig config;
        private DataConfig data;
        private VideoList videos;
        private EvaluationListener listener = EvaluationListener.NONE;
        private int intraOpThreads;

        private Builder() {}

        /** Sets the ONNX Runtime environment; the caller owns it (required). */
        public Builder setEnvironment(OrtEnvironment environment) {
            this.environment = environment;
            return this;
        }

        /** Sets the net the model was exported from, with its weights (required). */
        public Builder setNet(TsamNet net) {
            this.net = net;
            return this;
        }

        /** Sets the serialised ONNX model, only read (required). */
        public Builder setModel(byte[] model) {
            this.model = model;
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

        /** Sets ONNX Runtime's intra-op threads; 0 (its default) by default. */
        public Builder optIntraOpThreads(int intraOpThreads) {
            this.intraOpThreads = intraOpThreads;
            return this;
        }

        /**
         * Returns the evaluation.
         *
         * @throws NullPointerException if a required value is missing
         * @throws IllegalArgumentException if the config is not the net's, a label of the list is
         *     not one of the net's classes, or the thread count is negative
         */
        public ExportEvaluation build() {
            Objects.requireNonNull(environment, "ExportEvaluation needs setEnvironment");
            Objects.requireNonNull(net, "ExportEvaluation needs setNet");
            Objects.requireNonNull(model, "ExportEvaluation needs setModel");
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
            if (intraOpThreads < 0) {
                throw new IllegalArgumentException(
                        "intra-op threads must be >= 0 (0: ONNX Runtime's default), got "
                                + intraOpThreads);
            }
            return new ExportEvaluation(this);
        }
    }
}
