package io.tsam.media.pipeline;

import io.tsam.config.DataConfig;
import io.tsam.config.FramesTemplate;
import io.tsam.media.MediaException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens a list-file id in the TSAM folder layout (SPEC §3), the one rule training, evaluation and
 * calibration share.
 *
 * <p>A frame folder {@code dir_frames/<id>/} wins over a video file, because extracting frames is
 * what TSAM does before training and decoding JPEGs is the cheaper of the two. The audio of a frame
 * folder is {@code dir_audios/<id>.wav}; without one, the video file's own track when the video
 * file exists too, else silence. Without a frame folder, {@code dir_videos/<id>[.ext]} is opened
 * with its own audio track. Thread-safe: it holds no state besides the immutable layout.
 */
public final class DatasetVideos {
    private final DatasetFiles files;
    private final FramesTemplate frameNames;
    private final MediaConfig media;

    /** Opens the ids of {@code data}'s lists as {@code media} configures the clips. */
    public DatasetVideos(DataConfig data, MediaConfig media) {
        this.files = new DatasetFiles(data);
        this.frameNames = data.framesTemplate();
        this.media = media;
    }

    /**
     * Opens the video of {@code id}; the caller closes the extractor.
     *
     * @throws MediaException naming the paths tried when the id has neither a frame folder nor a
     *     video file, or naming the file that cannot be decoded
     */
    public ClipExtractor open(String id) {
        Path frames = files.framesDir(id);
        if (Files.isDirectory(frames)) {
            return ClipExtractor.openFrames(frames, frameNames::format, audioOfFrames(id), media);
        }
        return ClipExtractor.open(videoFile(id), media);
    }

    /**
     * The frame folder or video file {@code id} is read from.
     *
     * @throws MediaException naming the paths tried when there is neither
     */
    public Path source(String id) {
        Path frames = files.framesDir(id);
        return Files.isDirectory(frames) ? frames : videoFile(id);
    }

    private Path videoFile(String id) {
        try {
            return files.video(id);
        } catch (MediaException e) {
            throw new MediaException(
                    files.framesDir(id),
                    "no frame folder for id '" + id + "', and " + e.getMessage(),
                    e);
        }
    }

    private Optional<Path> audioOfFrames(String id) {
        if (!media.audio()) {
            return Optional.empty();
        }
        return files.audioFile(id).or(() -> existingVideoFile(id));
    }

    private Optional<Path> existingVideoFile(String id) {
        try {
            return Optional.of(files.video(id));
        } catch (MediaException e) {
            // No video file beside the frames: the audio segment is silence, and the clip says so.
            return Optional.empty();
        }
    }
}
