package io.tsam.runtime.cli;

import io.tsam.media.MediaException;
import io.tsam.media.pipeline.DatasetFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The videos named on a command line: a file stands for itself (whether or not it exists, so that
 * its error is reported in its turn), a folder for the video files under it, sorted by path.
 */
final class VideoInputs {

    private VideoInputs() {}

    /**
     * One entry per video, in argument order.
     *
     * @param failures receives one message per folder that holds no video file
     */
    static List<Path> expand(List<Path> arguments, List<MediaException> failures) {
        List<Path> videos = new ArrayList<>();
        for (Path argument : arguments) {
            if (!Files.isDirectory(argument)) {
                videos.add(argument);
                continue;
            }
            List<Path> inside = videosUnder(argument);
            if (inside.isEmpty()) {
                failures.add(
                        new MediaException(
                                argument,
                                "holds no video files ("
                                        + String.join(", ", DatasetFiles.VIDEO_EXTENSIONS)
                                        + ")"));
            }
            videos.addAll(inside);
        }
        return videos;
    }

    private static List<Path> videosUnder(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(VideoInputs::isVideo)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean isVideo(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return DatasetFiles.VIDEO_EXTENSIONS.stream().anyMatch(name::endsWith);
    }
}
