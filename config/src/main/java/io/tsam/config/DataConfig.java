package io.tsam.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The TSAM data file: where a dataset's videos, frames, audio and list files are (SPEC §3).
 *
 * <p>Values are kept as written so that {@link #toJson()} writes a portable file; the accessors
 * such as {@link #videosDir()} resolve them. A relative {@code data_dir} resolves against {@link
 * #baseDir()}, the data file's folder; the other paths resolve against {@code data_dir}. Every key
 * is optional with the defaults of {@link #defaults(Path)}. TSAM's own data files, which wrap the
 * keys in {@code "dataset"} (with a {@code name}) beside a {@code "help"} text, are read as they
 * are.
 *
 * @param baseDir the absolute folder a relative {@code data_dir} resolves against (not a key)
 * @param dataDir {@code data_dir}: the dataset folder
 * @param dirVideos {@code dir_videos}: the videos folder
 * @param dirFrames {@code dir_frames}: the frames folder, one sub-folder of frame files per video
 * @param dirAudios {@code dir_audios}: the folder of {@code .wav} files
 * @param fileTrainList {@code file_train_list}: the training list file
 * @param fileValList {@code file_val_list}: the validation list file
 * @param framesTmpl {@code frames_tmpl}: the frame-file name template, see {@link FramesTemplate}
 * @param fileLabels {@code file_labels}: the optional label-name file, see {@link LabelNames}; our
 *     extension to TSAM's format
 */
public record DataConfig(
        Path baseDir,
        String dataDir,
        String dirVideos,
        String dirFrames,
        String dirAudios,
        String fileTrainList,
        String fileValList,
        String framesTmpl,
        Optional<String> fileLabels) {

    private static final String TSAM_WRAPPER = "dataset";

    public DataConfig {
        baseDir = Objects.requireNonNull(baseDir, "baseDir").toAbsolutePath().normalize();
        Objects.requireNonNull(fileLabels, "fileLabels");
        checkPath("data_dir", dataDir);
        checkPath("dir_videos", dirVideos);
        checkPath("dir_frames", dirFrames);
        checkPath("dir_audios", dirAudios);
        checkPath("file_train_list", fileTrainList);
        checkPath("file_val_list", fileValList);
        fileLabels.ifPresent(value -> checkPath("file_labels", value));
        Objects.requireNonNull(framesTmpl, "framesTmpl");
        try {
            FramesTemplate.parse(framesTmpl);
        } catch (FramesTemplate.InvalidTemplateException e) {
            throw ConfigException.invalidValue(
                    null,
                    "frames_tmpl",
                    "expected a Python format string with one integer field such as"
                            + " \"{:05d}.jpg\" ("
                            + e.reason()
                            + ")",
                    framesTmpl);
        }
    }

    /** The defaults, relative to {@code baseDir}: the TSAM folder layout with no label file. */
    public static DataConfig defaults(Path baseDir) {
        return new DataConfig(
                baseDir,
                ".",
                "videos",
                "frames",
                "audios",
                "training.txt",
                "validation.txt",
                "{:05d}.jpg",
                Optional.empty());
    }

    /**
     * Reads a data file; its relative paths resolve against the file's folder.
     *
     * @throws ConfigException if the file is missing, unreadable, not JSON or not a valid data file
     */
    public static DataConfig load(Path file) {
        return parse(ConfigFiles.readText(file), file);
    }

    /**
     * Reads data-file text as if it were the content of {@code file}, which need not exist: errors
     * name it and relative paths resolve against its folder.
     *
     * @throws ConfigException if the text is not JSON or not a valid data file
     */
    public static DataConfig parse(String json, Path file) {
        Path baseDir = ConfigFiles.folderOf(Objects.requireNonNull(file, "file"));
        try {
            JsonSection root = JsonSection.root(json, file, baseDir);
            // TSAM's own data files wrap the keys in "dataset" beside a "help" text.
            boolean wrapped = root.has(TSAM_WRAPPER);
            JsonSection s = wrapped ? root.section(TSAM_WRAPPER) : root;
            if (wrapped) {
                root.string("help", "");
                s.string("name", "");
            }
            DataConfig d = defaults(baseDir);
            DataConfig config =
                    new DataConfig(
                            baseDir,
                            s.string("data_dir", d.dataDir()),
                            s.string("dir_videos", d.dirVideos()),
                            s.string("dir_frames", d.dirFrames()),
                            s.string("dir_audios", d.dirAudios()),
                            s.string("file_train_list", d.fileTrainList()),
                            s.string("file_val_list", d.fileValList()),
                            s.string("frames_tmpl", d.framesTmpl()),
                            s.optionalString("file_labels", d.fileLabels()));
            s.finish();
            root.finish();
            return config;
        } catch (ConfigException e) {
            throw e.file() == null ? e.withFile(file) : e;
        }
    }

    /** Pretty JSON holding every key as written (not resolved); {@link #parse} reads it back. */
    public String toJson() {
        ObjectNode node = ConfigJson.newObject();
        node.put("data_dir", dataDir);
        node.put("dir_videos", dirVideos);
        node.put("dir_frames", dirFrames);
        node.put("dir_audios", dirAudios);
        node.put("file_train_list", fileTrainList);
        node.put("file_val_list", fileValList);
        node.put("frames_tmpl", framesTmpl);
        node.put("file_labels", fileLabels.orElse(null));
        return ConfigJson.write(node);
    }

    /** The absolute dataset folder: {@code data_dir} resolved against {@link #baseDir()}. */
    public Path dataRoot() {
        return baseDir.resolve(dataDir).normalize();
    }

    /** The absolute videos folder. */
    public Path videosDir() {
        return inDataRoot(dirVideos);
    }

    /** The absolute frames folder. */
    public Path framesDir() {
        return inDataRoot(dirFrames);
    }

    /** The absolute audio folder. */
    public Path audiosDir() {
        return inDataRoot(dirAudios);
    }

    /** The absolute training list file. */
    public Path trainList() {
        return inDataRoot(fileTrainList);
    }

    /** The absolute validation list file. */
    public Path valList() {
        return inDataRoot(fileValList);
    }

    /** The absolute label-name file, if the data file names one. */
    public Optional<Path> labelsFile() {
        return fileLabels.map(this::inDataRoot);
    }

    /** The parsed {@code frames_tmpl}. */
    public FramesTemplate framesTemplate() {
        return FramesTemplate.parse(framesTmpl);
    }

    private Path inDataRoot(String path) {
        return dataRoot().resolve(path).normalize();
    }

    private static void checkPath(String key, String value) {
        Check.nonEmpty(key, value);
        try {
            Path.of(value);
        } catch (InvalidPathException e) {
            throw ConfigException.invalidValue(
                    null, key, "expected a valid path (" + e.getReason() + ")", value);
        }
    }
}
