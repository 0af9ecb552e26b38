package io.tsam.media.synth;

import io.tsam.common.io.AtomicFile;
import io.tsam.config.DataConfig;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a synthetic data set in the TSAM folder layout: {@code videos/<id>.mp4}, {@code
 * training.txt} and {@code validation.txt} ({@code id label} lines), {@code labels.txt} (one class
 * name a line, line {@code i} naming label {@code i}) and the data config {@code data.json}.
 *
 * <p>The classes ({@link SynthClass}) are built so that a model needs both temporal reasoning and
 * the audio track to separate all eight: order pairs share their single-frame distribution and tone
 * pairs share their frame distribution. Every file is written under a temporary name and renamed,
 * so an interrupted run never leaves a partial file under a final name.
 */
public final class SyntheticDataset {
    private static final Logger logger = LoggerFactory.getLogger(SyntheticDataset.class);

    /** The data config's file name inside the output folder. */
    public static final String DATA_CONFIG = "data.json";

    /** The video folder's name inside the output folder. */
    public static final String VIDEOS_DIR = "videos";

    /** The training list's file name inside the output folder. */
    public static final String TRAINING_LIST = "training.txt";

    /** The validation list's file name inside the output folder. */
    public static final String VALIDATION_LIST = "validation.txt";

    /** The label-name file's name inside the output folder. */
    public static final String LABELS = "labels.txt";

    // Stream constants that separate the picture and sound random streams of one video.
    private static final long VIDEO_STREAM = 0x5649_4445_4fL;
    private static final long AUDIO_STREAM = 0x4155_4449_4fL;

    private SyntheticDataset() {}

    /**
     * Generates {@code spec.perClass()} videos of every class into {@code out}, creating it if
     * needed; our files in an existing folder are overwritten, other files are left alone.
     *
     * @param progress called on the calling thread with the number of videos finished so far
     * @return what was written
     * @throws IOException when a file cannot be written or a video cannot be encoded
     */
    public static SynthSummary generate(Path out, SynthSpec spec, IntConsumer progress)
            throws IOException {
        return generate(out, spec, progress, Mp4Writer.bestVideoCodec());
    }

    /** As {@link #generate(Path, SynthSpec, IntConsumer)}, with the video encoder named. */
    static SynthSummary generate(Path out, SynthSpec spec, IntConsumer progress, String videoCodec)
            throws IOException {
        long start = System.nanoTime();
        Path videos = out.resolve(VIDEOS_DIR);
        Files.createDirectories(videos);
        logger.debug(
                "generating {} videos into {} with {}",
                spec.perClass() * SynthClass.values().length,
                out,
                videoCodec);
        List<Job> jobs = new ArrayList<>();
        for (SynthClass synthClass : SynthClass.values()) {
            for (int index = 0; index < spec.perClass(); index++) {
                jobs.add(new Job(synthClass, index));
            }
        }
        encodeAll(videos, spec, videoCodec, jobs, progress);

        StringBuilder training = new StringBuilder();
        StringBuilder validation = new StringBuilder();
        for (Job job : jobs) {
            boolean isValidation = job.index() >= spec.trainingPerClass();
            (isValidation ? validation : training)
                    .append(job.id())
                    .append(' ')
                    .append(job.synthClass().label())
                    .append('\n');
        }
        StringBuilder labels = new StringBuilder();
        for (SynthClass synthClass : SynthClass.values()) {
            labels.append(synthClass.id()).append('\n');
        }
        Path trainingList = writeText(out.resolve(TRAINING_LIST), training.toString());
        Path validationList = writeText(out.resolve(VALIDATION_LIST), validation.toString());
        Path labelsFile = writeText(out.resolve(LABELS), labels.toString());
        Path dataConfig = writeText(out.resolve(DATA_CONFIG), dataConfigJson(out));

        int classes = SynthClass.values().length;
        double seconds = (System.nanoTime() - start) / 1e9;
        return new SynthSummary(
                out,
                jobs.size(),
                classes * spec.trainingPerClass(),
                classes * spec.validationPerClass(),
                jobs.size() * (double) spec.frames() / spec.fps(),
                seconds,
                videoCodec,
                trainingList,
                validationList,
                labelsFile,
                dataConfig);
    }

    private static void encodeAll(
            Path videos, SynthSpec spec, String videoCodec, List<Job> jobs, IntConsumer progress)
            throws IOException {
        ExecutorService pool = Executors.newFixedThreadPool(spec.threads());
        try {
            CompletionService<Void> done = new ExecutorCompletionService<>(pool);
            for (Job job : jobs) {
                done.submit(
                        () -> {
                            encode(videos, spec, videoCodec, job);
                            return null;
                        });
            }
            for (int finished = 1; finished <= jobs.size(); finished++) {
                Future<Void> future = done.take();
                future.get();
                progress.accept(finished);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("synthetic data generation interrupted");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("encoding a synthetic video failed", cause);
        } finally {
            pool.shutdownNow();
            awaitTermination(pool);
        }
    }

    /**
     * Waits for the videos in flight after a failure, so no encoder writes into {@code out} once
     * {@link #generate} has returned.
     */
    private static void awaitTermination(ExecutorService pool) {
        try {
            while (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                logger.warn("still waiting for synthetic video encoders to stop");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void encode(Path videos, SynthSpec spec, String videoCodec, Job job)
            throws IOException {
        long videoSeed = mix(mix(spec.seed(), job.synthClass().label()), job.index());
        SplittableRandom pictureRng = new SplittableRandom(mix(videoSeed, VIDEO_STREAM));
        Mp4Writer.Segment segment = segment(spec, job.synthClass(), videoSeed, pictureRng);
        writeVideo(
                videos.resolve(job.id() + ".mp4"), spec, videoCodec, List.of(segment), pictureRng);
    }

    private static Mp4Writer.Segment segment(
            SynthSpec spec, SynthClass synthClass, long seed, SplittableRandom pictureRng) {
        SplittableRandom soundRng = new SplittableRandom(mix(seed, AUDIO_STREAM));
        Scene scene = Scene.draw(synthClass.motion(), pictureRng, spec.width(), spec.height());
        float[] audio =
                ToneTrack.render(synthClass.tone(), soundRng, spec.sampleRate(), spec.samples());
        return new Mp4Writer.Segment(scene, audio);
    }

    private static void writeVideo(
            Path target,
            SynthSpec spec,
            String videoCodec,
            List<Mp4Writer.Segment> segments,
            SplittableRandom pictureRng)
            throws IOException {
        try {
            AtomicFile.write(
                    target, tmp -> Mp4Writer.write(tmp, spec, videoCodec, segments, pictureRng));
        } catch (IOException e) {
            throw new IOException(target + ": cannot write video: " + e.getMessage(), e);
        }
    }

    /**
     * Writes one video that shows the {@code classes} one after the other, each for {@code
     * spec.seconds()} with a scene and tone of its own: a long video whose content changes at known
     * times, to try predictions over time on.
     *
     * @throws IOException when the file cannot be written
     */
    public static void writeSequence(Path file, SynthSpec spec, List<SynthClass> classes)
            throws IOException {
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("a sequence needs at least one class");
        }
        SplittableRandom pictureRng = new SplittableRandom(mix(spec.seed(), VIDEO_STREAM));
        List<Mp4Writer.Segment> segments = new ArrayList<>();
        for (int i = 0; i < classes.size(); i++) {
            long seed = mix(mix(spec.seed(), classes.get(i).label()), -1 - i);
            segments.add(segment(spec, classes.get(i), seed, pictureRng));
        }
        writeVideo(file, spec, Mp4Writer.bestVideoCodec(), segments, pictureRng);
    }

    private static String dataConfigJson(Path out) {
        DataConfig layout = DataConfig.defaults(out);
        return new DataConfig(
                        layout.baseDir(),
                        layout.dataDir(),
                        VIDEOS_DIR,
                        layout.dirFrames(),
                        layout.dirAudios(),
                        TRAINING_LIST,
                        VALIDATION_LIST,
                        layout.framesTmpl(),
                        Optional.of(LABELS))
                .toJson();
    }

    private static Path writeText(Path file, String text) throws IOException {
        AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
        return file;
    }

    /** SplitMix64's finaliser over {@code a} and {@code b}: nearby seeds give unrelated streams. */
    private static long mix(long a, long b) {
        long z = a * 0x9E37_79B9_7F4A_7C15L + b;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** One video to write: the {@code index}-th video of {@code synthClass}. */
    private record Job(SynthClass synthClass, int index) {
        String id() {
            return synthClass.videoId(index);
        }
    }
}
