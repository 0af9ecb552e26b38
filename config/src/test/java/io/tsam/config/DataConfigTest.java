package io.tsam.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataConfigTest {

    @Test
    void relativeDataDirResolvesAgainstTheFileFolderAndTheRestAgainstDataDir(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("config/data.json");
        Files.createDirectories(file.getParent());
        Files.writeString(
                file,
                """
                {
                  "data_dir": "../datasets/toy",
                  "dir_videos": "Videos",
                  "dir_frames": "Frames",
                  "dir_audios": "Audios",
                  "file_train_list": "lists/training.txt",
                  "file_val_list": "validation.txt",
                  "frames_tmpl": "img_{:05d}.jpg",
                  "file_labels": "labels.txt"
                }
                """);

        DataConfig data = DataConfig.load(file);

        Path root = dir.toAbsolutePath().resolve("datasets/toy");
        assertEquals(root, data.dataRoot());
        assertEquals(root.resolve("Videos"), data.videosDir());
        assertEquals(root.resolve("Frames"), data.framesDir());
        assertEquals(root.resolve("Audios"), data.audiosDir());
        assertEquals(root.resolve("lists/training.txt"), data.trainList());
        assertEquals(root.resolve("validation.txt"), data.valList());
        assertEquals(Optional.of(root.resolve("labels.txt")), data.labelsFile());
        assertEquals("img_00007.jpg", data.framesTemplate().format(7));
        assertEquals("../datasets/toy", data.dataDir());
    }

    @Test
    void absolutePathsAreKept(@TempDir Path dir) {
        Path elsewhere = dir.resolve("elsewhere").toAbsolutePath();
        String json =
                "{\"data_dir\": \"/data/k400\", \"dir_frames\": "
                        + ConfigException.quote(elsewhere.toString())
                        + "}";

        DataConfig data = DataConfig.parse(json, dir.resolve("data.json"));

        assertEquals(Path.of("/data/k400"), data.dataRoot());
        assertEquals(Path.of("/data/k400/videos"), data.videosDir());
        assertEquals(elsewhere, data.framesDir());
    }

    @Test
    void everyKeyIsOptional(@TempDir Path dir) {
        DataConfig data = DataConfig.parse("{}", dir.resolve("data.json"));

        assertEquals(DataConfig.defaults(dir), data);
        assertEquals(dir.toAbsolutePath(), data.dataRoot());
        assertEquals(dir.toAbsolutePath().resolve("training.txt"), data.trainList());
        assertEquals(dir.toAbsolutePath().resolve("audios"), data.audiosDir());
        assertEquals(Optional.empty(), data.labelsFile());
        assertEquals("00001.jpg", data.framesTemplate().format(1));
    }

    @Test
    void toJsonRoundTripsTheValuesAsWritten(@TempDir Path dir) throws IOException {
        DataConfig data =
                new DataConfig(
                        dir,
                        ".",
                        "v",
                        "f",
                        "a",
                        "train.txt",
                        "val.txt",
                        "{:06d}.png",
                        Optional.of("names.txt"));
        Path file = dir.resolve("data.json");
        Files.writeString(file, data.toJson());

        assertEquals(data, DataConfig.load(file));
        assertEquals(
                """
                {
                  "data_dir": ".",
                  "dir_videos": "v",
                  "dir_frames": "f",
                  "dir_audios": "a",
                  "file_train_list": "train.txt",
                  "file_val_list": "val.txt",
                  "frames_tmpl": "{:06d}.png",
                  "file_labels": "names.txt"
                }""",
                data.toJson());
    }

    @Test
    void exampleDataFilePointsAtTheSyntheticDataset() {
        DataConfig data = DataConfig.load(Path.of("example_data.json"));

        Path root = Path.of("").toAbsolutePath().getParent().resolve("data/synth");
        assertEquals(root, data.dataRoot());
        assertEquals(root.resolve("videos"), data.videosDir());
        assertEquals(root.resolve("frames"), data.framesDir());
        assertEquals(root.resolve("audios"), data.audiosDir());
        assertEquals(root.resolve("training.txt"), data.trainList());
        assertEquals(root.resolve("validation.txt"), data.valList());
        assertEquals(Optional.of(root.resolve("labels.txt")), data.labelsFile());
        assertEquals("{:05d}.jpg", data.framesTmpl());
    }

    @Test
    void errorsNameTheFileAndKey(@TempDir Path dir) {
        Path name = dir.resolve("data.json");

        assertEquals(
                name
                        + ": unknown key 'dir_video' (did you mean 'dir_videos'? valid keys: data_dir,"
                        + " dir_videos, dir_frames, dir_audios, file_train_list, file_val_list,"
                        + " frames_tmpl, file_labels)",
                assertThrows(
                                ConfigException.class,
                                () -> DataConfig.parse("{\"dir_video\": \"v\"}", name))
                        .getMessage());
        assertEquals(
                name + ": data_dir: expected a string, got 3",
                assertThrows(
                                ConfigException.class,
                                () -> DataConfig.parse("{\"data_dir\": 3}", name))
                        .getMessage());
        assertEquals(
                name + ": dir_frames: expected a non-empty string, got \"\"",
                assertThrows(
                                ConfigException.class,
                                () -> DataConfig.parse("{\"dir_frames\": \"\"}", name))
                        .getMessage());
        ConfigException template =
                assertThrows(
                        ConfigException.class,
                        () -> DataConfig.parse("{\"frames_tmpl\": \"{:x}.jpg\"}", name));
        assertEquals("frames_tmpl", template.key());
        assertEquals(
                name
                        + ": frames_tmpl: expected a Python format string with one integer field"
                        + " such as \"{:05d}.jpg\" (format spec 'x' is not a decimal integer spec"
                        + " such as 05d), got \"{:x}.jpg\"",
                template.getMessage());
        assertEquals(
                name.resolveSibling("missing.json") + ": no such file",
                assertThrows(
                                ConfigException.class,
                                () -> DataConfig.load(name.resolveSibling("missing.json")))
                        .getMessage());
    }

    @Test
    void tsamsOwnDataFileWithItsDatasetWrapperIsReadAsItIs(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("example_data.json");
        Files.writeString(
                file,
                "{\"help\": \"comment text goes here...\", \"dataset\": {\"name\": \"test\","
                        + " \"data_dir\": \"videos4test\", \"dir_videos\": \"videos\","
                        + " \"dir_frames\": \"frames\", \"dir_audios\": \"audios\","
                        + " \"file_train_list\": \"training.txt\","
                        + " \"file_val_list\": \"validation.txt\","
                        + " \"frames_tmpl\": \"{:05d}.jpg\"}}");
        DataConfig config = DataConfig.load(file);
        assertEquals(dir.toAbsolutePath().resolve("videos4test").normalize(), config.dataRoot());
        assertEquals("{:05d}.jpg", config.framesTmpl());
        ConfigException e =
                assertThrows(
                        ConfigException.class,
                        () -> DataConfig.parse("{\"dataset\": {\"fileVDB\": \"x\"}}", file));
        assertTrue(e.getMessage().contains("unknown key 'dataset.fileVDB'"), e.getMessage());
    }
}
