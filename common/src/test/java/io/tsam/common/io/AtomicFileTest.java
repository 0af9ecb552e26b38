package io.tsam.common.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
    @TempDir Path dir;

    @Test
    void failedWriteKeepsTheOldFileAndLeavesNoTemporary() throws IOException {
        Path target = dir.resolve("result.json");
        Files.writeString(target, "old");
        assertThrows(
                IOException.class,
                () ->
                        AtomicFile.write(
                                target,
                                tmp -> {
                                    Files.writeString(tmp, "half");
                                    throw new IOException("disk full");
                                }));
        assertEquals("old", Files.readString(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void replacesAndIsReadableByOthers() throws IOException {
        Path target = dir.resolve("sub/out.bin");
        AtomicFile.write(target, new byte[] {1, 2, 3});
        AtomicFile.write(target, new byte[] {4});
        assertEquals(1, Files.size(target));
        assertTrue(
                Files.getPosixFilePermissions(target).contains(PosixFilePermission.OTHERS_READ)
                        || Files.getPosixFilePermissions(target)
                                .contains(PosixFilePermission.GROUP_READ),
                "written with the umask's permissions, not owner-only");
    }
}
