package io.tsam.runtime.predict;

import io.tsam.config.ModelMetadata;
import io.tsam.config.Preprocessing;
import io.tsam.media.pipeline.ClipExtractor;
import io.tsam.media.pipeline.ClipTensors;
import io.tsam.media.pipeline.MediaConfig;
import io.tsam.media.pipeline.PipelineParameters;
import io.tsam.media.sampling.FrameSampling;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Turns a video into the clips an exported model receives, exactly as its metadata says: the model
 * file's segments and sizes go to the media pipeline ({@link ClipExtractor}), which the model was
 * trained with, so a deployed model sees what it was trained on.
 *
 * <p>The pipeline's normalisation and log-mel parameters are fixed in code; a model whose {@value
 * ModelMetadata#PREPROCESSING_KEY} asks for others is refused when the preprocessor is made, not
 * silently fed different inputs. Thread-safe: every call opens its own extractor.
 */
public final class Preprocessor {

    /** Builds audio images beside the frame decoding; daemon threads, made as needed. */
    private static final ExecutorService AUDIO_THREADS =
            Executors.newCachedThreadPool(
                    task -> {
                        Thread thread = new Thread(task, "tsam-audio");
                        thread.setDaemon(true);
                        return thread;
                    });

    private final ModelMetadata metadata;
    private final MediaConfig media;

    private Preprocessor(ModelMetadata metadata, MediaConfig media) {
        this.metadata = metadata;
        this.media = media;
    }

    /**
     * Checks that this build's media pipeline computes the model's preprocessing.
     *
     * @param metadata the model's metadata
     * @param modelFile the model, for messages
     * @throws IllegalArgumentException naming the model file and each parameter that differs
     */
    public static Preprocessor of(ModelMetadata metadata, Path modelFile) {
        Objects.requireNonNull(metadata, "metadata");
        Preprocessing ours = PipelineParameters.of(metadata.config());
        List<String> differences = differences(metadata.preprocessing(), ours);
        if (!differences.isEmpty()) {
            throw new IllegalArgumentException(
                    modelFile
                            + ": "
                            + ModelMetadata.PREPROCESSING_KEY
                            + " asks for preprocessing this runtime does not compute: "
                            + String.join("; ", differences));
        }
        return new Preprocessor(metadata, MediaConfig.of(metadata.config()));
    }

    /** This preprocessor with test clips taking {@code sampling}'s frames. */
    public Preprocessor withSampling(FrameSampling sampling) {
        return new Preprocessor(metadata, media.withSampling(sampling));
    }

    /** The model's metadata. */
    public ModelMetadata metadata() {
        return metadata;
    }

    /** What the media pipeline is told: segments, audio on/off, sizes, resize mode. */
    public MediaConfig media() {
        return media;
    }

    /**
     * Decodes all {@code clips} test clips of a video (SPEC §2 multi-clip sampling).
     *
     * @param video the video file
     * @param clips {@code C >= 1}
     * @throws io.tsam.media.MediaException naming the file if it cannot be used
     */
    public PreparedVideo prepare(Path video, int clips) {
        if (clips < 1) {
            throw new IllegalArgumentException("clips must be >= 1, got " + clips);
        }
        int[] all = new int[clips];
        for (int c = 0; c < clips; c++) {
            all[c] = c;
        }
        return prepare(video, all, clips);
    }

    /**
     * Decodes test clip {@code clip} of {@code clips}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= clip < clips}
     * @throws io.tsam.media.MediaException naming the file if it cannot be used
     */
    public PreparedVideo prepareClip(Path video, int clip, int clips) {
        if (clips < 1 || clip < 0 || clip >= clips) {
            throw new IllegalArgumentException(
                    "clip must be c of C with 0 <= c < C, got " + clip + " of " + clips);
        }
        return prepare(video, new int[] {clip}, clips);
    }

    private PreparedVideo prepare(Path video, int[] clipIndices, int clips) {
        long start = System.nanoTime();
        try (ClipExtractor extractor = ClipExtractor.open(video, media)) {
            // The audio image is decoded and transformed on its own thread while the frames
            // decode here; the clips pick it up when they are done with their frames.
            Future<Long> audioTime =
                    media.audio()
                            ? AUDIO_THREADS.submit(
                                    () -> {
                                        long audioStart = System.nanoTime();
                                        extractor.audioImage();
                                        return System.nanoTime() - audioStart;
                                    })
                            : CompletableFuture.completedFuture(0L);
            try {
                List<ClipTensors> tensors = new ArrayList<>(clipIndices.length);
                for (int clip : clipIndices) {
                    tensors.add(extractor.testClip(clip, clips));
                }
                long audioNanos = await(audioTime);
                AudioState audio =
                        !media.audio()
                                ? AudioState.OFF
                                : extractor.audioMissing()
                                        ? AudioState.MISSING
                                        : AudioState.PRESENT;
                return new PreparedVideo(
                        video,
                        extractor.frameCount(),
                        tensors,
                        clips,
                        audio,
                        System.nanoTime() - start,
                        audioNanos);
            } finally {
                audioTime.cancel(true);
            }
        }
    }

    /** The audio thread's time; its failure rethrown as it was thrown there. */
    private static long await(Future<Long> audioTime) {
        try {
            return audioTime.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the audio image was built", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static List<String> differences(Preprocessing model, Preprocessing ours) {
        List<String> differences = new ArrayList<>();
        differ(differences, "mean", model.mean(), ours.mean());
        differ(differences, "std", model.std(), ours.std());
        Preprocessing.AudioFeatures a = model.audio();
        Preprocessing.AudioFeatures b = ours.audio();
        differ(differences, "audio.sample_rate", a.sampleRate(), b.sampleRate());
        differ(differences, "audio.windows_ms", windows(a), windows(b));
        differ(differences, "audio.n_mels", a.melBands(), b.melBands());
        differ(differences, "audio.f_min", a.minHz(), b.minHz());
        differ(differences, "audio.f_max", a.maxHz(), b.maxHz());
        differ(differences, "audio.log_offset", a.logOffset(), b.logOffset());
        return differences;
    }

    private static List<List<Double>> windows(Preprocessing.AudioFeatures audio) {
        return audio.windows().stream().map(w -> List.of(w.windowMs(), w.hopMs())).toList();
    }

    private static void differ(List<String> out, String key, Object model, Object ours) {
        if (!model.equals(ours)) {
            out.add(key + " " + model + " (this runtime: " + ours + ")");
        }
    }
}
