package io.tsam.runtime.predict;

import io.tsam.backend.InferenceBackend;
import io.tsam.backend.TensorSpec;
import io.tsam.config.ClipAverage;
import io.tsam.config.LabelNames;
import io.tsam.config.ModelMetadata;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.media.pipeline.SlidingWindows;
import io.tsam.media.pipeline.WindowedVideo;
import io.tsam.media.pipeline.WindowedVideo.WindowClip;
import io.tsam.media.sampling.FrameSampling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Classifies videos with an exported TSAM model: {@link Preprocessor} for the inputs, an {@link
 * InferenceBackend} for the logits, then the softmax averaged over the test clips (SPEC §2
 * multi-clip test) and the classes ranked.
 *
 * <p>Thread-safe: {@link #prepare} runs on any thread, and {@link #classify} takes a list of
 * prepared videos and runs all their clips as one batch, which is what a server's dynamic batcher
 * needs. Input buffers are allocated once per batch size and reused; a pool holds one set per
 * concurrent caller. The predictor does not own the backend: whoever created it closes it, after
 * the last call here.
 */
public final class Predictor {

    private static final double NANOS_PER_MS = 1e6;

    /** Windows run together by {@link #predictWindows(Path, SlidingWindows, Consumer)}. */
    private static final int WINDOW_BATCH = 8;

    private final InferenceBackend backend;
    private final Preprocessor preprocessor;
    private final int clips;
    private final TensorSpec videoSpec;
    private final TensorSpec audioSpec;
    private final LabelNames labels;
    private final ConcurrentMap<Integer, Queue<InputBuffers>> pool = new ConcurrentHashMap<>();

    private Predictor(
            InferenceBackend backend,
            Preprocessor preprocessor,
            int clips,
            TensorSpec videoSpec,
            TensorSpec audioSpec) {
        this.backend = backend;
        this.preprocessor = preprocessor;
        this.clips = clips;
        this.videoSpec = videoSpec;
        this.audioSpec = audioSpec;
        this.labels = preprocessor.metadata().labels();
    }

    /** Returns a builder; the backend and the model's metadata are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The model's metadata. */
    public ModelMetadata metadata() {
        return preprocessor.metadata();
    }

    /** How videos become inputs. */
    public Preprocessor preprocessor() {
        return preprocessor;
    }

    /** What runs the model. */
    public InferenceBackend backend() {
        return backend;
    }

    /** Test clips per video, {@code C}. */
    public int clips() {
        return clips;
    }

    /**
     * Decodes, runs and ranks one video.
     *
     * @throws io.tsam.media.MediaException naming the file if it cannot be used
     */
    public Prediction predict(Path video) {
        return classify(List.of(prepare(video))).get(0);
    }

    /**
     * Decodes the {@link #clips()} test clips of a video; the first half of {@link #predict}.
     *
     * @throws io.tsam.media.MediaException naming the file if it cannot be used
     */
    public PreparedVideo prepare(Path video) {
        return preprocessor.prepare(video, clips);
    }

    /**
     * Runs the clips of all {@code videos} as one batch and ranks each video's classes by its
     * clips' combined probabilities ({@code model_validation.average}); the second half of {@link
     * #predict}.
     *
     * <p>Each prediction's inference time is the whole batch's, and its total is its own
     * preparation's wall time (the audio image built alongside the frames) plus the time of this
     * call.
     *
     * @param videos prepared videos, each with one or more clips
     * @return one prediction per video, in order
     */
    public List<Prediction> classify(List<PreparedVideo> videos) {
        long start = System.nanoTime();
        List<ClipTensors> batch = new ArrayList<>();
        videos.forEach(v -> batch.addAll(v.clips()));
        long inferenceStart = System.nanoTime();
        float[] logits = logits(batch);
        long inferenceNanos = System.nanoTime() - inferenceStart;
        int classes = labels.size();
        List<double[]> probabilities = new ArrayList<>();
        List<float[]> rows = new ArrayList<>();
        int row = 0;
        ClipAverage average = metadata().config().modelValidation().average();
        for (PreparedVideo video : videos) {
            int clipCount = video.clips().size();
            probabilities.add(average.probabilities(logits, row * classes, clipCount, classes));
            rows.add(Arrays.copyOfRange(logits, row * classes, (row + clipCount) * classes));
            row += clipCount;
        }
        long callNanos = System.nanoTime() - start;
        List<Prediction> predictions = new ArrayList<>(videos.size());
        for (int i = 0; i < videos.size(); i++) {
            PreparedVideo video = videos.get(i);
            Timings timings =
                    new Timings(
                            video.decodeNanos() / NANOS_PER_MS,
                            video.audioNanos() / NANOS_PER_MS,
                            inferenceNanos / NANOS_PER_MS,
                            (video.decodeNanos() + callNanos) / NANOS_PER_MS);
            predictions.add(
                    new Prediction(
                            video.file(),
                            rank(probabilities.get(i)),
                            rows.get(i),
                            video.audio(),
                            video.clips().size(),
                            timings,
                            preprocessor.media().sampling()));
        }
        return predictions;
    }

    /**
     * The sliding windows of this model: {@code T} segments of {@code length} seconds every {@code
     * stride} seconds.
     *
     * @throws IllegalArgumentException naming a length or stride that is not > 0
     */
    public SlidingWindows windows(double length, double stride) {
        return new SlidingWindows(length, stride, preprocessor.media().videoSegments());
    }

    /**
     * Classifies each window of a video, handing each on as soon as its batch has run; windows are
     * decoded in one forward pass (each frame at most once) and run {@value #WINDOW_BATCH} at a
     * time.
     *
     * @throws io.tsam.media.MediaException naming the file if it cannot be used
     */
    public WindowedVideo.Stats predictWindows(
            Path video, SlidingWindows windows, Consumer<WindowPrediction> sink) {
        return predictWindows(video, windows, WINDOW_BATCH, this::logits, sink);
    }

    /**
     * Classifies each window of a video, running batches of up to {@code batch} windows with {@code
     * run} (the server's batcher, say).
     *
     * @param run the logits, row-major {@code [clips, classes]}, of a list of clips
     */
    public WindowedVideo.Stats predictWindows(
            Path video,
            SlidingWindows windows,
            int batch,
            Function<List<ClipTensors>, float[]> run,
            Consumer<WindowPrediction> sink) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be >= 1, got " + batch);
        }
        List<WindowClip> pending = new ArrayList<>(batch);
        WindowedVideo.Stats stats =
                WindowedVideo.run(
                        video,
                        preprocessor.media(),
                        windows,
                        clip -> {
                            pending.add(clip);
                            if (pending.size() == batch) {
                                runWindows(pending, run, sink);
                            }
                        });
        if (!pending.isEmpty()) {
            runWindows(pending, run, sink);
        }
        return stats;
    }

    private void runWindows(
            List<WindowClip> clips,
            Function<List<ClipTensors>, float[]> run,
            Consumer<WindowPrediction> sink) {
        classifyWindows(clips, run).forEach(sink);
        clips.clear();
    }

    /**
     * Runs windows' clips as one call of {@code run} and ranks each window's classes.
     *
     * @param run the logits, row-major {@code [clips, classes]}, of a list of clips
     */
    public List<WindowPrediction> classifyWindows(
            List<WindowClip> clips, Function<List<ClipTensors>, float[]> run) {
        float[] logits = run.apply(clips.stream().map(WindowClip::clip).toList());
        int classes = labels.size();
        ClipAverage average = metadata().config().modelValidation().average();
        List<WindowPrediction> predictions = new ArrayList<>(clips.size());
        for (int i = 0; i < clips.size(); i++) {
            WindowClip clip = clips.get(i);
            SlidingWindows.Window window = clip.window();
            predictions.add(
                    new WindowPrediction(
                            window.index(),
                            window.start(),
                            window.end(),
                            rank(average.probabilities(logits, i * classes, 1, classes)),
                            Arrays.copyOfRange(logits, i * classes, (i + 1) * classes),
                            clip.clip().frameIndices(),
                            audioState(clip.clip())));
        }
        return predictions;
    }

    private AudioState audioState(ClipTensors clip) {
        if (clip.audio() == null) {
            return AudioState.OFF;
        }
        return clip.audioMissing() ? AudioState.MISSING : AudioState.PRESENT;
    }

    /**
     * Runs clips through the model in batches of at most the backend's {@link
     * InferenceBackend#maxBatch()}.
     *
     * @param clips the samples, each {@code video [T, 3, H, W]} (and {@code audio [3, H, W]} for a
     *     model with audio)
     * @return the logits, row-major {@code [clips, classes]}
     */
    public float[] logits(List<ClipTensors> clips) {
        if (clips.isEmpty()) {
            throw new IllegalArgumentException("no clips to run");
        }
        int classes = labels.size();
        float[] logits = new float[clips.size() * classes];
        int step = Math.max(1, backend.maxBatch());
        for (int from = 0; from < clips.size(); from += step) {
            int size = Math.min(step, clips.size() - from);
            InputBuffers buffers = acquire(size);
            try {
                float[] part = backend.run(size, buffers.fill(clips.subList(from, from + size)));
                if (part.length != size * classes) {
                    throw new IllegalStateException(
                            backend.modelFile()
                                    + ": the backend returned "
                                    + part.length
                                    + " logits for "
                                    + size
                                    + " samples of "
                                    + classes
                                    + " classes");
                }
                System.arraycopy(part, 0, logits, from * classes, part.length);
            } finally {
                release(buffers);
            }
        }
        return logits;
    }

    private InputBuffers acquire(int batch) {
        InputBuffers buffers =
                pool.computeIfAbsent(batch, b -> new ConcurrentLinkedQueue<>()).poll();
        return buffers != null ? buffers : InputBuffers.allocate(batch, videoSpec, audioSpec);
    }

    private void release(InputBuffers buffers) {
        pool.get(buffers.batch()).offer(buffers);
    }

    private List<LabelScore> rank(double[] probabilities) {
        List<LabelScore> scores = new ArrayList<>(probabilities.length);
        for (int k = 0; k < probabilities.length; k++) {
            scores.add(new LabelScore(k, labels.name(k), probabilities[k]));
        }
        scores.sort(
                Comparator.comparingDouble(LabelScore::probability)
                        .reversed()
                        .thenComparingInt(LabelScore::index));
        return scores;
    }

    /** Builds a {@link Predictor}. */
    public static final class Builder {
        private InferenceBackend backend;
        private ModelMetadata metadata;
        private Integer clips;
        private FrameSampling sampling = FrameSampling.EXACT;

        private Builder() {}

        /** Sets what runs the model; the caller keeps ownership (required). */
        public Builder setBackend(InferenceBackend backend) {
            this.backend = backend;
            return this;
        }

        /** Sets the model's metadata, e.g. parsed from the ONNX file (required). */
        public Builder setMetadata(ModelMetadata metadata) {
            this.metadata = metadata;
            return this;
        }

        /** Sets which frames test clips take; {@link FrameSampling#EXACT} by default. */
        public Builder optSampling(FrameSampling sampling) {
            this.sampling = Objects.requireNonNull(sampling, "sampling");
            return this;
        }

        /**
         * Sets the test clips per video; the model's {@code model_validation.num_clips} by default.
         */
        public Builder optClips(int clips) {
            this.clips = clips;
            return this;
        }

        /**
         * Checks the backend against the metadata and builds the predictor.
         *
         * @throws IllegalArgumentException naming the model file if its inputs or output do not
         *     have the shapes its metadata implies, if the runtime's pipeline does not compute its
         *     preprocessing, or for fewer than one clip
         */
        public Predictor build() {
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(metadata, "metadata");
            int c = clips != null ? clips : metadata.config().modelValidation().numClips();
            if (c < 1) {
                throw new IllegalArgumentException("clips must be >= 1, got " + c);
            }
            Path file = backend.modelFile();
            Preprocessor preprocessor = Preprocessor.of(metadata, file).withSampling(sampling);
            MediaConfig media = preprocessor.media();
            long crop = media.cropSize();
            Map<String, TensorSpec> inputs =
                    backend.inputs().stream()
                            .collect(Collectors.toMap(TensorSpec::name, s -> s, (a, b) -> a));
            List<String> expectedNames =
                    media.audio()
                            ? List.of(ModelMetadata.VIDEO_INPUT, ModelMetadata.AUDIO_INPUT)
                            : List.of(ModelMetadata.VIDEO_INPUT);
            if (!inputs.keySet().equals(Set.copyOf(expectedNames))) {
                throw new IllegalArgumentException(
                        file
                                + ": a model with audio_segments = "
                                + metadata.config().model().audioSegments()
                                + " has the inputs "
                                + expectedNames
                                + ", this one has "
                                + backend.inputs().stream().map(TensorSpec::name).toList());
            }
            TensorSpec video = inputs.get(ModelMetadata.VIDEO_INPUT);
            check(file, video, List.of((long) media.videoSegments(), 3L, crop, crop));
            TensorSpec audio = inputs.get(ModelMetadata.AUDIO_INPUT);
            if (audio != null) {
                check(file, audio, List.of(3L, crop, crop));
            }
            TensorSpec output = backend.output();
            if (!output.sampleShape().equals(List.of((long) metadata.labels().size()))) {
                throw new IllegalArgumentException(
                        file
                                + ": output '"
                                + output.name()
                                + "' has per-sample shape "
                                + output.sampleShape()
                                + " but the metadata names "
                                + metadata.labels().size()
                                + " classes");
            }
            return new Predictor(backend, preprocessor, c, video, audio);
        }

        private static void check(Path file, TensorSpec input, List<Long> expected) {
            if (!input.sampleShape().equals(expected)) {
                throw new IllegalArgumentException(
                        file
                                + ": input '"
                                + input.name()
                                + "' has per-sample shape "
                                + input.sampleShape()
                                + " but the metadata's config implies "
                                + expected);
            }
        }
    }
}
