package io.tsam.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VideoListTest {
    @TempDir Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("list.txt");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void readsTwoFieldLinesWithSpacesTabsAndComments() throws IOException {
        Path file = write("# id label\nvid_a 0\n\n  sub/dir/vid-b.2\t1  \r\nvid_c   2\n");

        VideoList list = VideoList.read(file);

        assertEquals(
                List.of(
                        new VideoEntry("vid_a", OptionalInt.empty(), 0),
                        new VideoEntry("sub/dir/vid-b.2", OptionalInt.empty(), 1),
                        new VideoEntry("vid_c", OptionalInt.empty(), 2)),
                list.entries());
        assertEquals(3, list.numClasses());
        assertEquals(3, list.size());
        assertEquals(file, list.file());
    }

    @Test
    void readsTsmThreeFieldLinesAndCommas() throws IOException {
        VideoList list = VideoList.read(write("abc,300,4\nabd , 12 , 0\nabe 7 1\n"));

        assertEquals(
                List.of(
                        new VideoEntry("abc", OptionalInt.of(300), 4),
                        new VideoEntry("abd", OptionalInt.of(12), 0),
                        new VideoEntry("abe", OptionalInt.of(7), 1)),
                list.entries());
        assertEquals(5, list.numClasses());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '\'',
            textBlock =
                    """
            a 0\\nb                | 2 | expected 'id label' or 'id num_frames label', got 1 fields in "b"
            a 0\\nb 1 2 3          | 2 | expected 'id label' or 'id num_frames label', got 4 fields in "b 1 2 3"
            a 0\\n\\nb x           | 3 | label must be an integer, got "x"
            a 1.0                  | 1 | label must be an integer, got "1.0"
            a -1                   | 1 | label must be >= 0, got -1
            a 0\\nb ten 1          | 2 | num_frames must be an integer, got "ten"
            a 0 1                  | 1 | num_frames must be >= 1, got 0
            a,0,                   | 1 | empty field in "a,0,"
            ,0                     | 1 | empty field in ",0"
            """)
    void errorsNameFileAndLine(String text, int line, String reason) throws IOException {
        Path file = write(text.replace("\\n", "\n"));

        ConfigException e = assertThrows(ConfigException.class, () -> VideoList.read(file));

        assertEquals(file + ":" + line + ": " + reason, e.getMessage());
        assertEquals(OptionalInt.of(line), e.line());
        assertNull(e.key());
    }

    @Test
    void emptyAndMissingFilesAreErrors() throws IOException {
        Path empty = write("# nothing\n\n");
        assertEquals(
                empty + ": lists no video (expected lines 'id label' or 'id num_frames label')",
                assertThrows(ConfigException.class, () -> VideoList.read(empty)).getMessage());
        Path missing = dir.resolve("missing.txt");
        assertEquals(
                missing + ": no such file",
                assertThrows(ConfigException.class, () -> VideoList.read(missing)).getMessage());
    }

    @Test
    void consecutiveLabelsPassAndGapsAreNamed() throws IOException {
        VideoList complete = VideoList.read(write("a 1\nb 0\nc 2\nd 1\n"));
        assertSame(complete, complete.requireConsecutiveLabels(3));

        Path file = write("a 0\nb 3\nc 5\n");
        VideoList gaps = VideoList.read(file);
        assertEquals(6, gaps.numClasses());
        assertEquals(
                file
                        + ": labels must be consecutive integers from 0 to 5 (6 classes), but no"
                        + " video has label 1, 2, 4",
                assertThrows(ConfigException.class, () -> gaps.requireConsecutiveLabels(6))
                        .getMessage());
    }

    @Test
    void labelsBeyondTheClassCountNameTheirLine() throws IOException {
        Path file = write("a 0\n# comment\nb 7\n");
        VideoList list = VideoList.read(file);

        assertEquals(
                file + ":3: label 7 is out of range for 5 classes (labels are 0 to 4)",
                assertThrows(ConfigException.class, () -> list.requireLabelsBelow(5)).getMessage());
        assertEquals(
                file + ":3: label 7 is out of range for 5 classes (labels are 0 to 4)",
                assertThrows(ConfigException.class, () -> list.requireConsecutiveLabels(5))
                        .getMessage());
        assertSame(list, list.requireLabelsBelow(8));
    }
}
