package io.tsam.dist;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Which jars carry natives for which platform, and the jars that carry every platform's natives
 * (ONNX Runtime: Linux, macOS and Windows for x86-64 and ARM, with debug symbols; JLine's) cut down
 * to one platform's.
 */
final class NativeJars {

    /**
     * A jar that carries several platforms' libraries under one folder.
     *
     * @param jarPrefix how the jar's file name starts
     * @param root the folder of all the natives
     * @param files each platform's files: the path under {@code root} of those to keep
     */
    private record MultiPlatform(String jarPrefix, String root, Map<Platform, Pattern> files) {}

    private static final List<MultiPlatform> MULTI_PLATFORM =
            List.of(
                    new MultiPlatform(
                            "onnxruntime",
                            "ai/onnxruntime/native/",
                            Map.of(
                                    Platform.LINUX_X86_64, Pattern.compile("linux-x64/.*"),
                                    Platform.LINUX_ARM64, Pattern.compile("linux-aarch64/.*"))),
                    new MultiPlatform(
                            "jline-native-",
                            "org/jline/nativ/",
                            Map.of(
                                    Platform.LINUX_X86_64, Pattern.compile("Linux/x86_64/.*"),
                                    Platform.LINUX_ARM64, Pattern.compile("Linux/arm64/.*"))),
                    // gRPC's Netty: epoll and tcnative for five platforms side by side; the
                    // Linux ones are the .so files.
                    new MultiPlatform(
                            "grpc-netty-shaded-",
                            "META-INF/native/",
                            Map.of(
                                    Platform.LINUX_X86_64,
                                    Pattern.compile("lib[a-z_]+_x86_64\\.so"),
                                    Platform.LINUX_ARM64,
                                    Pattern.compile("lib[a-z_]+_aarch_64\\.so"))));

    /** JavaCPP's platform jars: {@code ffmpeg-8.0.1-1.5.13-linux-x86_64.jar}. */
    private static final Pattern CLASSIFIED =
            Pattern.compile(".*-(linux|macosx|windows|android|ios)-([a-z0-9_]+?)(-redist)?\\.jar");

    private NativeJars() {}

    /** The platform a JavaCPP native jar is for, e.g. {@code linux-x86_64}; empty for others. */
    static Optional<String> platformOf(Path jar) {
        Matcher matcher = CLASSIFIED.matcher(jar.getFileName().toString());
        return matcher.matches()
                ? Optional.of(matcher.group(1) + "-" + matcher.group(2))
                : Optional.empty();
    }

    /** Whether {@code jar} carries several platforms' natives that {@link #trim} cuts down. */
    static boolean isMultiPlatform(Path jar) {
        return layout(jar).isPresent();
    }

    private static Optional<MultiPlatform> layout(Path jar) {
        String name = jar.getFileName().toString();
        return MULTI_PLATFORM.stream().filter(m -> name.startsWith(m.jarPrefix())).findFirst();
    }

    /**
     * Copies a multi-platform jar without the other platforms' libraries.
     *
     * @throws IllegalArgumentException if the jar has no libraries for {@code platform}
     */
    static void trim(Path jar, Platform platform, Path target) throws IOException {
        MultiPlatform layout =
                layout(jar)
                        .orElseThrow(
                                () -> new IllegalArgumentException(jar + ": not multi-platform"));
        boolean kept;
        Pattern keep = layout.files().get(platform);
        String root = layout.root();
        try (ZipFile in = new ZipFile(jar.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            List<String> keptFiles =
                    in.stream()
                            .filter(e -> !e.isDirectory())
                            .map(ZipEntry::getName)
                            .filter(n -> n.startsWith(root))
                            .filter(n -> keep.matcher(n.substring(root.length())).matches())
                            .toList();
            kept = !keptFiles.isEmpty();
            Enumeration<? extends ZipEntry> entries = in.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                boolean wanted =
                        !name.startsWith(root)
                                || (entry.isDirectory()
                                        ? keptFiles.stream().anyMatch(f -> f.startsWith(name))
                                        : keptFiles.contains(name));
                if (!wanted) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(name));
                try (InputStream data = in.getInputStream(entry)) {
                    data.transferTo(out);
                }
                out.closeEntry();
            }
        }
        if (!kept) {
            throw new IllegalArgumentException(jar + ": has no libraries for " + platform.id());
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
