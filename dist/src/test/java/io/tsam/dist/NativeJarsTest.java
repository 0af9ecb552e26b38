package io.tsam.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeJarsTest {

    @TempDir Path dir;

    private Path jar(String name, String... entries) throws IOException {
        Path jar = dir.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String entry : entries) {
                out.putNextEntry(new ZipEntry(entry));
                out.write(entry.getBytes());
                out.closeEntry();
            }
        }
        return jar;
    }

    private static List<String> entries(Path jar) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().forEach(e -> names.add(e.getName()));
        }
        return names;
    }

    @Test
    void onnxRuntimeKeepsOnlyThePlatformsLibrariesAndItsClasses() throws IOException {
        Path ort =
                jar(
                        "onnxruntime-1.23.2.jar",
                        "ai/onnxruntime/OrtSession.class",
                        "ai/onnxruntime/native/",
                        "ai/onnxruntime/native/linux-x64/libonnxruntime.so",
                        "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so",
                        "ai/onnxruntime/native/osx-aarch64/libonnxruntime.dylib",
                        "ai/onnxruntime/native/win-x64/onnxruntime.dll");

        Path arm = dir.resolve("arm.jar");
        NativeJars.trim(ort, Platform.LINUX_ARM64, arm);

        assertEquals(
                List.of(
                        "ai/onnxruntime/OrtSession.class",
                        "ai/onnxruntime/native/",
                        "ai/onnxruntime/native/linux-aarch64/libonnxruntime.so"),
                entries(arm));
    }

    @Test
    void grpcNettyKeepsOnlyThePlatformsEpollAndTcnative() throws IOException {
        String natives = "META-INF/native/libio_grpc_netty_shaded_netty_";
        Path grpc =
                jar(
                        "grpc-netty-shaded-1.83.1.jar",
                        "io/grpc/netty/shaded/io/netty/channel/Channel.class",
                        "META-INF/native/",
                        natives + "tcnative_linux_x86_64.so",
                        natives + "tcnative_linux_aarch_64.so",
                        natives + "tcnative_osx_aarch_64.jnilib",
                        "META-INF/native/io_grpc_netty_shaded_netty_tcnative_windows_x86_64.dll",
                        natives + "transport_native_epoll_x86_64.so",
                        natives + "transport_native_epoll_aarch_64.so",
                        "META-INF/native-image/netty-common/reflect-config.json");

        Path x86 = dir.resolve("x86.jar");
        NativeJars.trim(grpc, Platform.LINUX_X86_64, x86);

        assertEquals(
                List.of(
                        "io/grpc/netty/shaded/io/netty/channel/Channel.class",
                        "META-INF/native/",
                        natives + "tcnative_linux_x86_64.so",
                        natives + "transport_native_epoll_x86_64.so",
                        "META-INF/native-image/netty-common/reflect-config.json"),
                entries(x86));
    }

    @Test
    void aJarWithoutThePlatformsLibrariesIsRefused() throws IOException {
        Path jline =
                jar("jline-native-3.24.1.jar", "org/jline/nativ/Mac/arm64/libjlinenative.jnilib");
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> NativeJars.trim(jline, Platform.LINUX_X86_64, dir.resolve("x.jar")));
        assertEquals(jline + ": has no libraries for linux-x86_64", e.getMessage());
    }

    @Test
    void javacppNativeJarsAreRecognisedByTheirClassifier() {
        assertEquals(
                Optional.of("linux-arm64"),
                NativeJars.platformOf(Path.of("ffmpeg-8.0.1-1.5.13-linux-arm64.jar")));
        assertEquals(
                Optional.of("linux-x86_64"),
                NativeJars.platformOf(Path.of("cuda-13.1-9.19-1.5.13-linux-x86_64-redist.jar")));
        assertEquals(Optional.empty(), NativeJars.platformOf(Path.of("ffmpeg-8.0.1-1.5.13.jar")));
    }

    @Test
    void elfHeadersNameTheirMachine() {
        byte[] header = new byte[20];
        header[0] = 0x7f;
        header[1] = 'E';
        header[2] = 'L';
        header[3] = 'F';
        header[5] = 1;
        header[18] = (byte) 183;
        assertEquals(183, NativeJars.elfMachine(header));
        header[18] = 62;
        assertEquals(62, NativeJars.elfMachine(header));
        assertEquals(-1, NativeJars.elfMachine(new byte[] {'P', 'K', 3, 4}));
    }

    @Test
    void splitSizesReadAsUsersWriteThem() {
        assertEquals(50L << 20, BundleBuilder.parseSize("50M"));
        assertEquals(1L << 30, BundleBuilder.parseSize("1g"));
        assertEquals(700L << 10, BundleBuilder.parseSize("700K"));
        assertEquals(4096, BundleBuilder.parseSize("4096"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> BundleBuilder.parseSize("-5M"));
        assertEquals(
                "--split -5M: expected a positive size such as 50M, 1G or 700K", e.getMessage());
    }
}
