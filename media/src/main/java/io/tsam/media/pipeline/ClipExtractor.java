package io.tsam.media.pipeline;

import io.tsam.media.MediaException;
import io.tsam.media.audio.AudioTrack;
import io.tsam.media.image.Crop;
import io.tsam.media.image.FrameTransform;
import io.tsam.media.image.RgbImage;
import io.tsam.media.image.TsamFrameTransform;
import io.tsam.media.sampling.FrameSampling;
import io.tsam.media.sampling.SegmentSampler;
import io.tsam.media.video.DecodeStats;
import io.tsam.media.video.ExtractedFrames;
import io.tsam.media.video.FrameSource;
import io.tsam.media.video.JpegFolder;
import io.tsam.media.video.VideoFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

/**
 * Turns one video into model inputs: samples the TSN segments, decodes only those frames, resizes,
 * crops and normalises them, and builds the audio image once for all clips of the video (SPEC §2),
 * by the model's input profile: TSAM's code ({@link TsamFrameTransform}, {@link AudioSegmentImage},
 * TSAM's sampling rule) or the ImageNet practice ({@link FrameTransform}).
 *
 * <p>Training and serving both go through this class, so a deployed model sees exactly what it was
 * trained on. Not thread-safe: one extractor per video per thread. The caller owns it and closes
 * it.
 */
public final class ClipExtractor implements AutoCloseable {
    private final FrameSource frames;
    private final Optional<Path> audioFile;
    private final MediaConfig config;
    private final FrameTransform transform;
    private final TsamFrameTransform tsamTransform;
    private final AudioSegmentImage audioImages;
    private Optional<AudioTrack> track;
    private float[] audioImage;
    private boolean audioMissing;

    private ClipExtractor(FrameSource frames, Optional<Path> audioFile, MediaConfig config) {
        this.frames = frames;
        this.audioFile = audioFile;
        this.config = config;
        this.transform =
                new FrameTransform(config.scaleSize(), config.cropSize(), config.resizeMode());
        this.tsamTransform = new TsamFrameTransform(config.cropSize());
        this.audioImages = new AudioSegmentImage(config);
    }

    /**
     * Opens a video file whose own audio track (if any) is the audio segment. Under TSAM's profile
     * its frames are those TSAM's {@code video2frames.py} would extract: resampled to {@code fps}
     * and scaled to {@code scale_size} rows ({@link ExtractedFrames}). Frames are turned upright by
     * the display matrix when the config says {@code autorotate}.
     */
    public static ClipExtractor open(Path video, MediaConfig config) {
        FrameSource frames =
                config.tsamProfile()
                        ? ExtractedFrames.open(
                                video, config.fps(), config.scaleSize(), config.autorotate())
                        : VideoFile.open(video, config.autorotate());
        return new ClipExtractor(frames, Optional.of(video), config);
    }

    /**
     * Opens pre-extracted frames ({@code frames_tmpl} names, 1-based) with an optional separate
     * audio file; without one, the clip's audio is silence.
     */
    public static ClipExtractor openFrames(
            Path framesDir,
            IntFunction<String> frameName,
            Optional<Path> audioFile,
            MediaConfig config) {
        return new ClipExtractor(JpegFolder.open(framesDir, frameName), audioFile, config);
    }

    /** Frames in the video ({@code F} of SPEC §2). */
    public int frameCount() {
        return frames.frameCount();
    }

    /**
     * Clip {@code clip} of {@code clips} as evaluated at test time: centre crop, no flip; its
     * frames by the settings' {@link FrameSampling} (the latency mode applies to the {@code
     * imagenet} profile only, whose test frames are the file's own).
     */
    public ClipTensors testClip(int clip, int clips) {
        int count = frames.frameCount();
        if (config.tsamProfile()) {
            return build(SegmentSampler.tsamTest(count, config.videoSegments(), clip, clips), null);
        }
        int[] indices = SegmentSampler.test(count, config.videoSegments(), clip, clips);
        if (config.sampling() == FrameSampling.LATENCY) {
            indices = SegmentSampler.cheapest(indices, count, frames.keyframes());
        }
        return build(indices, null);
    }

    /** A training clip: a random frame per segment, one random crop and flip for all frames. */
    public ClipTensors trainClip(RandomGenerator rng) {
        int count = frames.frameCount();
        int[] indices =
                config.tsamProfile()
                        ? SegmentSampler.tsamTrain(count, config.videoSegments(), rng)
                        : SegmentSampler.train(count, config.videoSegments(), rng);
        return build(indices, rng);
    }

    /**
     * The {@code [3, crop, crop]} audio image, computed on first use and shared by every clip of
     * the video; silence when the file has no audio track. It may be asked for on another thread
     * while clips decode: the audio is read by its own decoder, and a clip that needs the image
     * waits for it.
     *
     * @throws IllegalStateException for a video-only model
     */
    public synchronized float[] audioImage() {
        if (!config.audio()) {
            throw new IllegalStateException("the model has no audio segment (audio_segments = 0)");
        }
        if (audioImage == null) {
            audioImage = track().map(this::image).orElseGet(audioImages::silence);
        }
        return audioImage;
    }

    /** The audio image of the track; a track the profile cannot take names the file. */
    private float[] image(AudioTrack track) {
        try {
            return audioImages.of(track);
        } catch (IllegalArgumentException e) {
            throw new MediaException(audioFile.orElseThrow(), e.getMessage(), e);
        }
    }

    /** The decoded audio track, read once; empty when the file has none. */
    private synchronized Optional<AudioTrack> track() {
        if (track == null) {
            track = audioFile.flatMap(AudioTrack::read);
            audioMissing = track.isEmpty();
        }
        return track;
    }

    /**
     * A training clip's audio image: TSAM's profile cuts the track at random ({@code
     * random_shift_waveform}) for each clip; otherwise the video's one image.
     */
    private float[] trainingAudioImage(RandomGenerator rng) {
        if (!config.tsamProfile() || config.waveformShift().isEmpty()) {
            return audioImage();
        }
        return track().map(t -> audioImages.tsam().build(t, config.waveformShift(), rng))
                .orElseGet(audioImages::silence);
    }

    /** Whether the audio segment is silence because the file has no audio track. */
    public synchronized boolean audioMissing() {
        if (config.audio()) {
            track();
        }
        return audioMissing;
    }

    /** Frames decoded and seeks made so far, to show that only the needed frames are read. */
    public DecodeStats decodeStats() {
        return frames.stats();
    }

    private ClipTensors build(int[] indices, RandomGenerator rng) {
        float[] video = new float[config.videoLength()];
        if (config.tsamProfile()) {
            writeTsamFrames(indices, rng, video);
        } else {
            writeFrames(indices, rng, video);
        }
        float[] audio =
                !config.audio() ? null : rng == null ? audioImage() : trainingAudioImage(rng);
        return new ClipTensors(video, audio, config.audio() && audioMissing, indices);
    }

    private void writeTsamFrames(int[] indices, RandomGenerator rng, float[] dst) {
        List<RgbImage> images = frames.read(indices);
        RgbImage first = images.get(0);
        TsamFrameTransform.Region region =
                rng == null
                        ? TsamFrameTransform.center(first.width(), first.height())
                        : TsamFrameTransform.random(
                                first.width(), first.height(), config.scales(), config.flip(), rng);
        int stride = config.imageLength();
        frames(images.size(), rng == null)
                .forEach(t -> tsamTransform.apply(images.get(t), region, dst, t * stride));
    }

    private void writeFrames(int[] indices, RandomGenerator rng, float[] dst) {
        List<RgbImage> images = frames.read(indices);
        RgbImage first = images.get(0);
        int[] resized = transform.resizedSize(first.width(), first.height());
        Crop crop =
                rng == null
                        ? Crop.center(resized[0], resized[1], config.cropSize())
                        : Crop.random(
                                resized[0], resized[1], config.cropSize(), config.flip(), rng);
        int stride = config.imageLength();
        frames(images.size(), rng == null)
                .forEach(t -> transform.apply(images.get(t), crop, dst, t * stride));
    }

    @Override
    public void close() {
        frames.close();
    }

    /**
     * The frame numbers of a clip, in parallel for a test clip: its frames are resized one per core
     * (each writes its own part of the tensor), which takes a prediction's resizing off the
     * critical path next to the decoder; training clips stay sequential, since the training loop
     * already keeps every core busy with clips.
     */
    private static IntStream frames(int count, boolean parallel) {
        IntStream frames = IntStream.range(0, count);
        return parallel ? frames.parallel() : frames;
    }
}
