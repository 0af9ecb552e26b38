package io.tsam.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Which jars carry natives for which platform, and ONNX Runtime's jar cut down to one platform: it
 * ships Linux, macOS and Windows libraries (with debug symbols) for x86-64 and ARM in one jar.
 */
final class NativeJars {

    /** JavaCPP's platform jars: {@code ffmpeg-8.0.1-1.5.13-linux-x86_64.jar}. */
    private static final Pattern CLASSIFIED =
            Pattern.compile(".*-(linux|macosx|windows|android|ios)-([a-z0-9_]+?)(-redist)?\\.jar");

    private static final String ORT_NATIVES = "ai/onnxruntime/native/";

    private NativeJars() {}

    /** The platform a JavaCPP native jar is for, e.g. {@code linux-x86_64}; empty for others. */
    static java.util.Optional<String> platformOf(Path jar) {
        Matcher matcher = CLASSIFIED.matcher(jar.getFileName().toString());
        return matcher.matches()
                ? java.util.Optional.of(matcher.group(1) + "-" + matcher.group(2))
                : java.util.Optional.empty();
    }

    /** Whether {@code jar} is ONNX Runtime's (CPU or GPU build). */
    static boolean isOnnxRuntime(Path jar) {
        String name = jar.getFileName().toString();
        return name.startsWith("onnxruntime-") || name.startsWith("onnxruntime_gpu-");
    }

    /**
     * Copies ONNX Runtime's jar without the libraries of other platforms.
     *
     * @throws IllegalArgumentException if the jar has no libraries for {@code platform}
     */
    static void trimOnnxRuntime(Path jar, Platform platform, Path target) throws IOException {
        String keep = ORT_NATIVES + platform.onnxRuntimeFolder() + "/";
        boolean kept = false;
        try (ZipFile in = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (name.startsWith(ORT_NATIVES)
                        && !name.equals(ORT_NATIVES)
                        && !name.startsWith(keep)) {
                    continue;
                }
                kept |= name.startsWith(keep) && !entry.isDirectory();
                out.putNextEntry(new ZipEntry(name));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        if (!kept) {
            throw new IllegalArgumentException(
                    jar + ": has no ONNX Runtime libraries for " + platform.id());
        }
    }

    /** The ELF {@code e_machine} of a file, or -1 if it is not an ELF file. */
    static int elfMachine(byte[] header) {
        if (header.length < 20
                || header[0] != 0x7f
                || header[1] != 'E'
                || header[2] != 'L'
                || header[3] != 'F') {
            return -1;
        }
        // e_machine is a 16-bit field at offset 18, in the file's byte order (EI_DATA).
        boolean little = header[5] == 1;
        int lo = header[little ? 18 : 19] & 0xff;
        int hi = header[little ? 19 : 18] & 0xff;
        return hi << 8 | lo;
    }

    /** Jars in a folder, by name. */
    static List<Path> jarsIn(Path folder) throws IOException {
        try (var files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        }
    }
}
