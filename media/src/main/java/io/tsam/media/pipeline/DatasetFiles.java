package io.tsam.media.pipeline;

import io.tsam.config.DataConfig;
import io.tsam.media.MediaException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a dataset's files are for a list-file id, in the TSAM folder layout (SPEC §3): {@code
 * dir_videos/<id>[.ext]}, {@code dir_frames/<id>/}, {@code dir_audios/<id>.wav}.
 */
public record DatasetFiles(DataConfig data) {
    /** Container extensions tried, in order, when a list id names a video without one. */
    public static final List<String> VIDEO_EXTENSIONS =
            List.of(".mp4", ".mkv", ".webm", ".avi", ".mov", ".m4v", ".mpg", ".mpeg", ".flv");

    /** The video file of {@code id}: the id itself, or the id plus a known extension. */
    public Path video(String id) {
        Path exact = data.videosDir().resolve(id);
        if (Files.isRegularFile(exact)) {
            return exact;
        }
        for (String ext : VIDEO_EXTENSIONS) {
            Path candidate = data.videosDir().resolve(id + ext);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new MediaException(
                exact,
                "no video for id '" + id + "' (tried " + String.join(", ", VIDEO_EXTENSIONS) + ")");
    }

    /** The frame folder of {@code id} written by {@code tsam-data frames}. */
    public Path framesDir(String id) {
        return data.framesDir().resolve(stripExtension(id));
    }

    /** Where {@code tsam-data frames --audio} writes the audio of {@code id}. */
    public Path audioPath(String id) {
        return data.audiosDir().resolve(stripExtension(id) + ".wav");
    }

    /** The extracted audio of {@code id}, if there is one. */
    public Optional<Path> audioFile(String id) {
        return Optional.of(audioPath(id)).filter(Files::isRegularFile);
    }

    /** Every video file under {@code dir_videos}, sorted by path. */
    public List<Path> videos() {
        Path dir = data.videosDir();
        if (!Files.isDirectory(dir)) {
            throw new MediaException(dir, "dir_videos is not a folder");
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .filter(DatasetFiles::isVideo)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The list-file id of a video under {@code dir_videos}: its relative path without extension.
     */
    public String idOf(Path video) {
        String relative = data.videosDir().relativize(video).toString().replace('\\', '/');
        return stripExtension(relative);
    }

    private static boolean isVideo(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return VIDEO_EXTENSIONS.stream().anyMatch(name::endsWith);
    }

    private static String stripExtension(String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        for (String ext : VIDEO_EXTENSIONS) {
            if (lower.endsWith(ext)) {
                return id.substring(0, id.length() - ext.length());
            }
        }
        return id;
    }
}
