package io.tsam.media.pipeline;

import io.tsam.media.MediaException;
import io.tsam.media.audio.AudioTrack;
import io.tsam.media.image.RgbImage;
import io.tsam.media.pipeline.SlidingWindows.Window;
import io.tsam.media.pipeline.WindowAssembler.FilledWindow;
import io.tsam.media.video.DecodeStats;
import io.tsam.media.video.VideoFile;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A video file cut into sliding windows, each a model input ({@link SlidingWindows} says where they
 * lie and which frames they take). Only the frames some window takes are decoded to pictures, in
 * one forward pass, so a frame shared by overlapping windows is decoded once; each window's audio
 * image is built from its own span of the track, which is decoded once.
 *
 * <p>Under TSAM's input profile frames are scaled to {@code scale_size} rows as its extracted
 * frames are; windows sample by time, so the profile's frame-rate resampling does not apply.
 */
public final class WindowedVideo {

    /** Frames decoded to pictures per read, so that full-size pictures in memory stay few. */
    private static final int READ_CHUNK = 8;

    /**
     * One window's model input.
     *
     * @param window where it lies
     * @param clip its tensors; {@code frameIndices} are the frames its segments took
     */
    public record WindowClip(Window window, ClipTensors clip) {}

    /**
     * What a run read.
     *
     * @param frames the video's frames
     * @param sampled distinct frames the windows took: each decoded to a picture once
     * @param decode the decoder's work: frames decoded (at most {@code frames}) and seeks
     * @param windows windows handed on
     */
    public record Stats(int frames, int sampled, DecodeStats decode, int windows) {}

    private WindowedVideo() {}

    /**
     * Cuts {@code video} into windows and hands each on, in order.
     *
     * @param sink receives each window's clip
     * @throws MediaException naming the file if it cannot be used
     */
    public static Stats run(
            Path video, MediaConfig config, SlidingWindows windows, Consumer<WindowClip> sink) {
        try (VideoFile file = VideoFile.open(video, config.autorotate())) {
            if (config.tsamProfile()) {
                file.scaleToHeight(config.scaleSize());
            }
            long[] micros = file.presentationMicros();
            double[] times = new double[micros.length];
            for (int i = 0; i < micros.length; i++) {
                times[i] = (micros[i] - micros[0]) / 1e6;
            }
            double frameSeconds = file.frameRate() > 0 ? 1 / file.frameRate() : 0;
            double duration = Math.max(times[times.length - 1] + frameSeconds, 1e-3);
            List<Window> plan = windows.over(duration);
            int[] sampled = sampledFrames(plan, times);
            Audio audio = config.audio() ? new Audio(video, config) : null;
            int[] handed = {0};
            WindowAssembler assembler =
                    new WindowAssembler(
                            config,
                            filled -> {
                                sink.accept(clip(filled, audio));
                                handed[0]++;
                            });
            plan.forEach(assembler::add);
            for (int from = 0; from < sampled.length; from += READ_CHUNK) {
                int[] chunk =
                        Arrays.copyOfRange(
                                sampled, from, Math.min(sampled.length, from + READ_CHUNK));
                List<RgbImage> images = file.read(chunk);
                for (int i = 0; i < chunk.length; i++) {
                    RgbImage image = images.get(i);
                    assembler.offer(times[chunk[i]], chunk[i], () -> image);
                }
            }
            assembler.finish(duration);
            return new Stats(times.length, sampled.length, file.stats(), handed[0]);
        }
    }

    /** The distinct frames on screen at the windows' midpoints, ascending. */
    static int[] sampledFrames(List<Window> plan, double[] times) {
        return plan.stream()
                .flatMapToDouble(w -> Arrays.stream(w.targets()))
                .mapToInt(t -> onScreen(times, t))
                .distinct()
                .sorted()
                .toArray();
    }

    /**
     * The last frame shown at or before {@code time} (within {@link
     * SlidingWindows#TIME_TOLERANCE}); the first frame before it starts.
     */
    private static int onScreen(double[] times, double time) {
        int i = Arrays.binarySearch(times, time + SlidingWindows.TIME_TOLERANCE);
        if (i >= 0) {
            // Equal timestamps: the last of them.
            while (i + 1 < times.length && times[i + 1] == time) {
                i++;
            }
            return i;
        }
        return Math.max(0, -i - 2);
    }

    private static WindowClip clip(FilledWindow filled, Audio audio) {
        int[] frames = Arrays.stream(filled.frames()).mapToInt(f -> (int) f).toArray();
        float[] image = audio == null ? null : audio.image(filled.window());
        boolean missing = audio != null && audio.track.isEmpty();
        return new WindowClip(
                filled.window(), new ClipTensors(filled.video(), image, missing, frames));
    }

    /** The file's track, decoded once, and each window's image of its span. */
    private static final class Audio {
        final Path file;
        final Optional<AudioTrack> track;
        final AudioSegmentImage images;

        Audio(Path file, MediaConfig config) {
            this.file = file;
            this.track = AudioTrack.read(file);
            this.images = new AudioSegmentImage(config);
        }

        float[] image(Window window) {
            AudioTrack span = track.map(t -> t.slice(window.start(), window.end())).orElse(null);
            if (span == null || span.samples() == 0) {
                return images.silence();
            }
            try {
                return images.of(span);
            } catch (IllegalArgumentException e) {
                throw new MediaException(file, e.getMessage(), e);
            }
        }
    }
}
