package io.tsam.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LabelNamesTest {
    @TempDir Path dir;

    private Path write(String text) throws IOException {
        Path file = dir.resolve("labels.txt");
        Files.writeString(file, text);
        return file;
    }

    private ConfigException readError(String text) throws IOException {
        Path file = write(text);
        return assertThrows(ConfigException.class, () -> LabelNames.read(file));
    }

    @Test
    void plainFormMapsLineToLabel() throws IOException {
        LabelNames names = LabelNames.read(write("moving left\n  moving right \r\nstill\n\n\n"));

        assertEquals(List.of("moving left", "moving right", "still"), names.names());
        assertEquals(3, names.size());
        assertEquals("moving right", names.name(1));
    }

    @Test
    void indexedFormAcceptsAnyOrderAndSeparators() throws IOException {
        LabelNames names = LabelNames.read(write("2 still\n0,moving left\n\n1 , moving right\n"));

        assertEquals(List.of("moving left", "moving right", "still"), names.names());
    }

    @Test
    void namesThatAreNumbersWithoutSeparatorStayPlain() throws IOException {
        assertEquals(List.of("10", "20", "30"), LabelNames.read(write("10\n20\n30\n")).names());
        assertEquals(List.of("3 cats", "dog"), LabelNames.read(write("3 cats\ndog\n")).names());
    }

    @Test
    void indicesNameClassesByNumber() {
        assertEquals(List.of("0", "1", "2"), LabelNames.indices(3).names());
        assertThrows(IllegalArgumentException.class, () -> LabelNames.indices(0));
    }

    @Test
    void errorsNameFileAndLine() throws IOException {
        Path file = dir.resolve("labels.txt");
        assertEquals(
                file + ":2: empty label name (one name per line, line i naming label i)",
                readError("a\n\nb\n").getMessage());
        assertEquals(
                file + ":3: label name \"a\" already used on line 1",
                readError("a\nb\na\n").getMessage());
        assertEquals(
                file + ":2: label index 0 already named on line 1",
                readError("0 a\n0 b\n").getMessage());
        assertEquals(
                file + ": label indices must be exactly 0 to 3, but index 0, 2 has no name",
                readError("1 a\n3 b\n").getMessage());
        assertEquals(file + ": holds no label names", readError("\n \n").getMessage());
    }
}
