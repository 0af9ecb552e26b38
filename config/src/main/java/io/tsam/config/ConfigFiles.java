package io.tsam.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads the text files of this package, turning every I/O failure into a one-line error. */
final class ConfigFiles {
    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private ConfigFiles() {}

    /** The file's UTF-8 text without a leading byte-order mark (editors on Windows write one). */
    static String readText(Path file) {
        if (Files.isDirectory(file)) {
            throw ConfigException.ofFile(file, "is a directory, expected a file", null);
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw ConfigException.ofFile(file, "no such file", e);
        } catch (AccessDeniedException e) {
            throw ConfigException.ofFile(file, "permission denied", e);
        } catch (CharacterCodingException e) {
            throw ConfigException.ofFile(file, "not UTF-8 text", e);
        } catch (IOException e) {
            throw ConfigException.ofFile(file, "cannot read (" + e + ")", e);
        }
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    /** The absolute folder holding {@code file}, against which its relative paths resolve. */
    static Path folderOf(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent != null ? parent : file.toAbsolutePath().getRoot();
    }
}
