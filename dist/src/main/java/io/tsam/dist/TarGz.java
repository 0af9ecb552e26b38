package io.tsam.dist;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Writes a folder as a {@code .tar.gz} whose single top folder is the folder's name. */
final class TarGz {

    private TarGz() {}

    /** Archives {@code folder}, keeping each file's executable bit. */
    static void write(Path folder, OutputStream target) throws IOException {
        Path base = folder.getParent();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.sorted().toList();
        }
        try (GzipCompressorOutputStream gzip = new GzipCompressorOutputStream(target);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (Path file : files) {
                String name = base.relativize(file).toString().replace('\\', '/');
                // Only name, size, mode and time: the attributes a path-based entry adds (creation
                // time as PAX headers) make GNU tar warn once per file.
                boolean directory = Files.isDirectory(file);
                TarArchiveEntry entry = new TarArchiveEntry(directory ? name + "/" : name);
                entry.setModTime(Files.getLastModifiedTime(file));
                if (directory) {
                    entry.setMode(040755);
                } else {
                    entry.setSize(Files.size(file));
                    entry.setMode(Files.isExecutable(file) ? 0100755 : 0100644);
                }
                tar.putArchiveEntry(entry);
                if (Files.isRegularFile(file)) {
                    Files.copy(file, tar);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
    }
}
