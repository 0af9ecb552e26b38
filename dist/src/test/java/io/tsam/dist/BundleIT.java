package io.tsam.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.tsam.backend.TinyModels;
import io.tsam.media.synth.SynthSpec;
import io.tsam.media.synth.SyntheticDataset;
import io.tsam.runtime.serve.grpc.GRPCInferenceServiceGrpc;
import io.tsam.runtime.serve.grpc.GrpcPredictV2.ServerReadyRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the x86-64 and arm64 bundles as a user would and runs the x86-64 one as a deployment host
 * would: unpacked into an empty folder, with no Maven and no Java on the PATH, HOME an empty
 * folder, nothing but the archive. The arm64 bundle cannot run here; its natives are checked to be
 * AArch64 ELF files.
 */
class BundleIT {

    private static final Path LIB = Path.of(System.getProperty("tsam.bundle.lib"));
    private static final Path NATIVES = Path.of(System.getProperty("tsam.bundle.natives"));
    private static final Path OUT = Path.of(System.getProperty("tsam.bundle.out"));
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path dir;

    private static Path video;

    @BeforeAll
    static void video() throws IOException {
        SyntheticDataset.generate(
                dir.resolve("synth"),
                SynthSpec.defaults()
                        .withPerClass(1)
                        .withSize(64, 48)
                        .withSeconds(1.0)
                        .withFps(12)
                        .withThreads(1),
                done -> {});
        try (var videos = Files.list(dir.resolve("synth").resolve(SyntheticDataset.VIDEOS_DIR))) {
            video = videos.sorted().findFirst().orElseThrow();
        }
    }

    /** The sizes go to the build log, where the README's figures come from. */
    private static void report(BundleBuilder.Bundle bundle) {
        System.out.printf(
                "bundle %s: %.1f MiB, %d files, %d parts%n",
                bundle.archive().getFileName(),
                bundle.bytes() / 1048576.0,
                bundle.files(),
                bundle.parts().size());
    }

    private static BundleBuilder.Bundle build(String... args) throws IOException {
        return picocli.CommandLine.populateCommand(new BundleBuilder(), args).build();
    }

    @Test
    void theX8664BundleRunsPredictDoctorAndServeWithNothingElseInstalled() throws Exception {
        BundleBuilder.Bundle bundle =
                build(
                        "--platform", "linux-x86_64",
                        "--lib", LIB.toString(),
                        "--model", TinyModels.tsam().toString(),
                        "--split", "20M",
                        "--out", OUT.resolve("x86_64").toString());
        report(bundle);
        assertTrue(bundle.withJre());
        assertTrue(bundle.parts().size() >= 2, "split into parts");

        Path root = extract(bundle.archive(), Files.createDirectories(dir.resolve("host")));
        checkManifest(root);
        Path home = Files.createDirectories(dir.resolve("empty-home"));
        Path emptyBin = Files.createDirectories(dir.resolve("empty-bin"));
        Map<String, String> clean =
                Map.of("PATH", emptyBin.toString(), "HOME", home.toString(), "LANG", "C.UTF-8");

        Run predict =
                run(clean, root.resolve("bin/predict").toString(), "--json", video.toString());
        assertEquals(0, predict.status(), predict.toString());
        JsonNode prediction =
                JSON.readTree(predict.out().lines().reduce((a, b) -> b).orElseThrow());
        assertTrue(prediction.get("top").size() > 0, predict.out());

        Run doctor = run(clean, root.resolve("bin/tsam-run").toString(), "doctor", "--json");
        assertEquals(0, doctor.status(), doctor.toString());
        JsonNode report = JSON.readTree(doctor.out());
        assertTrue(report.get("ok").asBoolean());
        assertFalse(report.get("host").get("cpu").asText().isEmpty());

        Run watch =
                run(
                        clean,
                        root.resolve("bin/tsam-run").toString(),
                        "watch",
                        video.toString(),
                        "--model",
                        TinyModels.tsam().toString(),
                        "--window",
                        "0.5s",
                        "--json");
        assertEquals(0, watch.status(), watch.toString());
        JsonNode summary =
                JSON.readTree(watch.out().lines().reduce((a, b) -> b).orElseThrow()).get("summary");
        assertEquals(3, summary.get("windows").asInt(), watch.out());

        serveAndPredict(clean, root);
        reassemble(bundle);
    }

    @Test
    void theArm64BundleCarriesOnlyAArch64Natives() throws Exception {
        BundleBuilder.Bundle bundle =
                build(
                        "--platform", "linux-arm64",
                        "--lib", LIB.toString(),
                        "--natives", NATIVES.toString(),
                        "--out", OUT.resolve("arm64").toString());
        report(bundle);
        assertFalse(bundle.withJre(), "no JRE can be linked for another platform");
        Path root = extract(bundle.archive(), Files.createDirectories(dir.resolve("arm64")));
        checkManifest(root);
        List<String> libraries = new ArrayList<>();
        try (var jars = Files.list(root.resolve("lib"))) {
            for (Path jar : jars.toList()) {
                assertFalse(
                        jar.getFileName().toString().contains("x86_64"), "host natives: " + jar);
                try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
                    for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                        byte[] header = zip.readNBytes(20);
                        int machine = NativeJars.elfMachine(header);
                        if (machine >= 0) {
                            assertEquals(183, machine, jar.getFileName() + "!" + entry.getName());
                            libraries.add(entry.getName());
                        }
                    }
                }
            }
        }
        assertTrue(
                libraries.stream().anyMatch(l -> l.endsWith("linux-aarch64/libonnxruntime.so")),
                libraries.toString());
        assertTrue(
                libraries.stream().anyMatch(l -> l.contains("libavcodec")), libraries.toString());
        assertTrue(
                libraries.stream().anyMatch(l -> l.contains("libjniavcodec")),
                libraries.toString());
    }

    private static void serveAndPredict(Map<String, String> env, Path root) throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(
                                root.resolve("bin/serve").toString(),
                                "--port",
                                "0",
                                "--grpc-port",
                                "0")
                        .redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process server = builder.start();
        try {
            String url = null;
            Integer grpcPort = null;
            StringBuilder seen = new StringBuilder();
            Pattern serving = Pattern.compile(" at (http://[^:]+:\\d+)");
            Pattern grpc = Pattern.compile("^gRPC .* at [^:]+:(\\d+)$");
            var lines =
                    new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                    server.getInputStream(), StandardCharsets.UTF_8));
            for (String line;
                    (url == null || grpcPort == null) && (line = lines.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher matcher = serving.matcher(line);
                if (matcher.find()) {
                    url = matcher.group(1);
                }
                Matcher grpcMatcher = grpc.matcher(line);
                if (grpcMatcher.find()) {
                    grpcPort = Integer.parseInt(grpcMatcher.group(1));
                }
            }
            assertTrue(
                    url != null && grpcPort != null, "the server said where it listens: " + seen);
            ManagedChannel channel =
                    ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
            try {
                assertTrue(
                        GRPCInferenceServiceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(30, TimeUnit.SECONDS)
                                .serverReady(ServerReadyRequest.getDefaultInstance())
                                .getReady());
            } finally {
                channel.shutdownNow();
            }
            HttpClient client =
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
            HttpResponse<String> ready =
                    client.send(
                            HttpRequest.newBuilder(URI.create(url + "/v2/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode(), ready.body());
            HttpResponse<String> predicted =
                    client.send(
                            HttpRequest.newBuilder(URI.create(url + "/predict"))
                                    .header("Content-Type", "application/octet-stream")
                                    .POST(HttpRequest.BodyPublishers.ofFile(video))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, predicted.statusCode(), predicted.body());
            assertTrue(JSON.readTree(predicted.body()).get("top").size() > 0, predicted.body());
        } finally {
            server.destroy();
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server stops on SIGTERM");
        }
    }

    private static void reassemble(BundleBuilder.Bundle bundle) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("transfer"));
        for (Path part : bundle.parts()) {
            Files.copy(part, folder.resolve(part.getFileName()));
        }
        Path script = bundle.archive().resolveSibling("reassemble.sh");
        Files.copy(script, folder.resolve("reassemble.sh"));
        Run run =
                run(
                        Map.of("PATH", "/usr/bin:/bin"),
                        "bash",
                        folder.resolve("reassemble.sh").toString());
        assertEquals(0, run.status(), run.toString());
        assertArrayEquals(
                Files.readAllBytes(bundle.archive()),
                Files.readAllBytes(folder.resolve(bundle.archive().getFileName())));
    }

    /** Every file is listed in SHA256SUMS with its digest. */
    private static void checkManifest(Path root) throws Exception {
        List<String> lines = Files.readAllLines(root.resolve("SHA256SUMS"));
        assertFalse(lines.isEmpty());
        for (String line : lines) {
            String digest = line.substring(0, 64);
            Path file = root.resolve(line.substring(66));
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
            assertEquals(digest, HexFormat.of().formatHex(sha), file.toString());
        }
    }

    private static Path extract(Path archive, Path into) throws IOException {
        Path top = null;
        try (InputStream file = Files.newInputStream(archive);
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(file))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                Path target = into.resolve(entry.getName()).normalize();
                assertTrue(target.startsWith(into), entry.getName());
                if (top == null) {
                    top = into.resolve(Path.of(entry.getName()).getName(0));
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                Files.copy(tar, target);
                if ((entry.getMode() & 0100) != 0) {
                    Files.setPosixFilePermissions(
                            target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        }
        return top;
    }

    private record Run(int status, String out) {}

    private static Run run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().clear();
        builder.environment().putAll(env);
        Process process = builder.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        process.getInputStream().transferTo(out);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        return new Run(process.exitValue(), out.toString(StandardCharsets.UTF_8));
    }
}
