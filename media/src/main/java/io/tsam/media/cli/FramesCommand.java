package io.tsam.media.cli;

import io.tsam.common.cli.CommandLines;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.cli.ProgressBars;
import io.tsam.common.io.AtomicFile;
import io.tsam.config.DataConfig;
import io.tsam.media.audio.AudioTrack;
import io.tsam.media.io.FrameDirectoryWriter;
import io.tsam.media.io.WavWriter;
import io.tsam.media.pipeline.DatasetFiles;
import io.tsam.media.video.VideoFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-data frames}: TSAM's {@code video2frames.py}: every video under {@code dir_videos} to
 * {@code dir_frames/<id>/00001.jpg...} at a fixed frame rate and, with {@code --audio}, its audio
 * track to {@code dir_audios/<id>.wav}.
 */
@Command(
        name = "frames",
        description = {
            "Extract JPEG frames at --fps, --height rows high (and with --audio the audio as"
                    + " .wav at the track's own rate and channels) from every video of a dataset,"
                    + " in the TSAM folder layout, as TSAM's video2frames.py does."
        })
final class FramesCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "TSAM data file (JSON).")
    Path data;

    @Option(
            names = "--fps",
            defaultValue = "10",
            description = "Frames per second to extract (default: ${DEFAULT-VALUE}).")
    double fps;

    @Option(
            names = "--height",
            defaultValue = "256",
            description =
                    "Rows of the written frames, the width keeping the aspect ratio, as TSAM's"
                            + " video2frames.py (scale=-1:256); 0 keeps the coded size (default:"
                            + " ${DEFAULT-VALUE}).")
    int height;

    @Option(
            names = "--audio",
            description = "Also write each audio track to dir_audios/<id>.wav (PCM 16-bit).")
    boolean audio;

    @Mixin AutorotateOption autorotate;

    @Option(
            names = "--threads",
            description = "Videos processed at once (default: number of cores).")
    Integer threads;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!(fps > 0 && fps <= 1000)) {
            throw new IllegalArgumentException("--fps must be in (0, 1000], got " + fps);
        }
        if (height < 0) {
            throw new IllegalArgumentException("--height must be >= 0, got " + height);
        }
        DataConfig config = DataConfig.load(data);
        DatasetFiles files = new DatasetFiles(config);
        List<Path> videos = files.videos();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (videos.isEmpty()) {
            throw new IllegalArgumentException(
                    data + ": dir_videos " + config.videosDir() + " holds no video files");
        }
        int workers = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, workers));
        List<String> failures = new ArrayList<>();
        int frameTotal = 0;
        int noAudio = 0;
        try (ProgressBar bar = ProgressBars.start("frames", videos.size(), "videos")) {
            List<Future<Result>> results = new ArrayList<>();
            for (Path video : videos) {
                results.add(pool.submit(() -> extract(files, video)));
            }
            for (int i = 0; i < results.size(); i++) {
                try {
                    Result r = results.get(i).get();
                    frameTotal += r.frames();
                    noAudio += r.audioMissing() ? 1 : 0;
                } catch (ExecutionException e) {
                    failures.add(CommandLines.describe(e.getCause()));
                }
                bar.step();
            }
        } finally {
            pool.shutdownNow();
        }
        failures.forEach(f -> err.println("error: " + f));
        out.printf(
                "%d of %d videos -> %d frames in %s%s%n",
                videos.size() - failures.size(),
                videos.size(),
                frameTotal,
                config.framesDir(),
                audio ? ", audio in " + config.audiosDir() : "");
        if (audio && noAudio > 0) {
            out.printf("%d videos have no audio track (no .wav written)%n", noAudio);
        }
        return failures.isEmpty() ? ExitCode.OK : ExitCode.PARTIAL;
    }

    private Result extract(DatasetFiles files, Path video) throws Exception {
        String id = files.idOf(video);
        int frames;
        try (VideoFile file = VideoFile.open(video, autorotate.autorotate())) {
            frames = FrameDirectoryWriter.write(file, fps, height, files.framesDir(id));
        }
        boolean missing = false;
        if (audio) {
            Optional<AudioTrack> track = AudioTrack.read(video);
            missing = track.isEmpty();
            if (track.isPresent()) {
                AtomicFile.write(files.audioPath(id), tmp -> WavWriter.write(tmp, track.get()));
            }
        }
        return new Result(frames, missing);
    }

    private record Result(int frames, boolean audioMissing) {}
}
