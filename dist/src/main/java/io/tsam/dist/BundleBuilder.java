package io.tsam.dist;

import io.tsam.common.cli.CommandLines;
import io.tsam.common.cli.ExitCode;
import io.tsam.common.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code tsam-bundle}: packs the runtime into {@code
 * tsam-runtime-<version>-<platform>[-gpu].tar.gz} that runs with no Maven and no source checkout:
 * {@code bin/tsam-run}, the jars with only that platform's natives, optionally a jlink'ed JRE,
 * optionally a model with {@code predict} and {@code serve} scripts, and {@code SHA256SUMS} over
 * every file.
 */
@Command(
        name = "tsam-bundle",
        mixinStandardHelpOptions = true,
        description = "Packs the runtime into a self-contained .tar.gz for one platform.")
public final class BundleBuilder implements Callable<Integer> {

    /** The JDK modules the runtime uses: AWT for the charts, JNDI/management for Jetty. */
    static final String JRE_MODULES =
            "java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,"
                    + "java.sql,java.xml,jdk.unsupported,jdk.zipfs,jdk.crypto.ec";

    private static final double MIB = 1024.0 * 1024.0;

    @Option(
            names = "--platform",
            paramLabel = "NAME",
            description = "linux-x86_64 or linux-arm64 (default: this machine's).")
    String platform;

    @Option(
            names = "--lib",
            required = true,
            paramLabel = "DIR",
            description =
                    "The runtime's jars with this machine's natives (dist/target/bundle/lib).")
    Path lib;

    @Option(
            names = "--natives",
            paramLabel = "DIR",
            description =
                    "The other platform's JavaCPP native jars (dist/target/bundle/natives-linux-arm64).")
    Path natives;

    @Option(
            names = "--jre",
            negatable = true,
            description =
                    "Include a jlink'ed JRE so the target needs no Java (default: yes for this"
                            + " machine's platform; a JRE for another platform cannot be linked"
                            + " here).")
    Boolean jre;

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description =
                    "Put this .onnx (or .plan with its .plan.json) in the bundle, with"
                            + " bin/predict and bin/serve.")
    Path model;

    @Option(
            names = "--split",
            paramLabel = "SIZE",
            description =
                    "Also cut the archive into parts of SIZE (e.g. 50M, 1G) with reassemble.sh.")
    String split;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = ".",
            description = "Where the archive goes (default: the current folder).")
    Path out;

    @Spec CommandSpec spec;

    /** What was written. */
    public record Bundle(Path archive, long bytes, int files, boolean withJre, List<Path> parts) {}

    /** Runs the command line and exits with its status. */
    public static void main(String[] args) {
        PrintWriter stdout = new PrintWriter(System.out, true);
        PrintWriter stderr = new PrintWriter(System.err, true);
        System.exit(CommandLines.newCommandLine(new BundleBuilder(), stdout, stderr).execute(args));
    }

    /** A command line writing to {@code out} and {@code err}, for {@code main} and tests. */
    public static CommandLine newCommandLine(PrintWriter out, PrintWriter err) {
        return CommandLines.newCommandLine(new BundleBuilder(), out, err);
    }

    @Override
    public Integer call() throws IOException {
        Bundle bundle = build();
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.printf(
                Locale.ROOT,
                "wrote %s (%.1f MiB, %d files, %s)%n",
                bundle.archive(),
                bundle.bytes() / MIB,
                bundle.files(),
                bundle.withJre() ? "with a JRE" : "needs Java 17+ on the target");
        for (Path part : bundle.parts()) {
            stdout.printf(Locale.ROOT, "  part %s (%.1f MiB)%n", part, Files.size(part) / MIB);
        }
        stdout.flush();
        return ExitCode.OK;
    }

    /** Builds the bundle as the options say. */
    public Bundle build() throws IOException {
        Platform target = platform == null ? Platform.host() : Platform.of(platform);
        boolean linkJre = jre == null ? target == Platform.host() : jre;
        if (linkJre && target != Platform.host()) {
            throw new IllegalArgumentException(
                    "--jre: a "
                            + target.id()
                            + " JRE cannot be linked on "
                            + Platform.host().id()
                            + "; leave it out (the target then needs Java 17+)");
        }
        if (!Files.isDirectory(lib)) {
            throw new IllegalArgumentException("--lib " + lib + ": no such folder");
        }
        if (model != null && !Files.isRegularFile(model)) {
            throw new IllegalArgumentException("--model " + model + ": no such file");
        }
        long partBytes = split == null ? 0 : parseSize(split);
        List<Path> jars = NativeJars.jarsIn(lib);
        boolean gpu =
                jars.stream()
                        .anyMatch(j -> j.getFileName().toString().startsWith("onnxruntime_gpu-"));
        String name = "tsam-runtime-" + version() + "-" + target.id() + (gpu ? "-gpu" : "");
        Path staging = Files.createTempDirectory("tsam-bundle-");
        try {
            Path root = Files.createDirectories(staging.resolve(name));
            copyJars(jars, target, root.resolve("lib"));
            if (linkJre) {
                linkJre(root.resolve("jre"));
            }
            writeScripts(root);
            int files = writeManifest(root);
            Files.createDirectories(out);
            Path archive = out.resolve(name + ".tar.gz");
            MessageDigest sha = sha256();
            AtomicFile.write(
                    archive,
                    tmp -> {
                        try (OutputStream file = Files.newOutputStream(tmp);
                                DigestOutputStream digest = new DigestOutputStream(file, sha)) {
                            TarGz.write(root, digest);
                        }
                    });
            String digest = HexFormat.of().formatHex(sha.digest());
            writeText(out.resolve(name + ".tar.gz.sha256"), digest + "  " + name + ".tar.gz\n");
            List<Path> parts = partBytes > 0 ? split(archive, partBytes, digest) : List.of();
            return new Bundle(archive, Files.size(archive), files, linkJre, parts);
        } finally {
            deleteTree(staging);
        }
    }

    /** Copies the jars, with {@code target}'s natives in place of the host's. */
    private void copyJars(List<Path> jars, Platform target, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Path jar : jars) {
            Optional<String> nativePlatform = NativeJars.platformOf(jar);
            if (nativePlatform.isPresent() && !nativePlatform.get().equals(target.id())) {
                continue;
            }
            Path copy = dir.resolve(jar.getFileName());
            if (NativeJars.isMultiPlatform(jar)) {
                NativeJars.trim(jar, target, copy);
            } else {
                Files.copy(jar, copy);
            }
        }
        if (target != Platform.host()) {
            if (natives == null || !Files.isDirectory(natives)) {
                throw new IllegalArgumentException(
                        "--natives: the "
                                + target.id()
                                + " native jars are needed (dist/target/bundle/natives-"
                                + target.id()
                                + ")");
            }
            for (Path jar : NativeJars.jarsIn(natives)) {
                if (NativeJars.platformOf(jar).filter(target.id()::equals).isPresent()) {
                    Files.copy(jar, dir.resolve(jar.getFileName()));
                }
            }
        }
    }

    private static void linkJre(Path dir) {
        ToolProvider jlink =
                ToolProvider.findFirst("jlink")
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "this Java has no jlink; run tsam-bundle with a"
                                                        + " JDK, or pass --no-jre"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintWriter writer = new PrintWriter(log, true, StandardCharsets.UTF_8);
        int status =
                jlink.run(
                        writer,
                        writer,
                        "--add-modules",
                        JRE_MODULES,
                        "--strip-debug",
                        "--no-header-files",
                        "--no-man-pages",
                        "--compress=2",
                        "--output",
                        dir.toString());
        if (status != 0) {
            throw new IllegalStateException(
                    "jlink failed (the JDK may lack its jmods; install the JDK's jmods package):"
                            + " "
                            + log.toString(StandardCharsets.UTF_8).lines().findFirst().orElse(""));
        }
    }

    private void writeScripts(Path root) throws IOException {
        Path bin = Files.createDirectories(root.resolve("bin"));
        executable(bin.resolve("tsam-run"), Launchers.tsamRun());
        StringBuilder readme =
                new StringBuilder(
                        "TSAM runtime bundle. Run bin/tsam-run --help; bin/tsam-run doctor checks"
                                + " this machine.\nSHA256SUMS lists every file: sha256sum -c"
                                + " SHA256SUMS\n");
        if (model != null) {
            Path models = Files.createDirectories(root.resolve("model"));
            String file = model.getFileName().toString();
            Files.copy(model, models.resolve(file));
            Path sidecar = model.resolveSibling(file + ".json");
            if (file.endsWith(".plan")) {
                if (!Files.isRegularFile(sidecar)) {
                    throw new IllegalArgumentException(
                            "--model " + model + ": its sidecar " + sidecar + " is missing");
                }
                Files.copy(sidecar, models.resolve(sidecar.getFileName()));
            }
            executable(bin.resolve("predict"), Launchers.withModel("predict", file));
            executable(bin.resolve("serve"), Launchers.withModel("serve", file));
            readme.append("model/")
                    .append(file)
                    .append(": bin/predict VIDEO..., bin/serve [--port N]\n");
        }
        Files.writeString(root.resolve("README.txt"), readme);
    }

    /** Writes {@code SHA256SUMS} ({@code sha256sum -c} format) and returns the file count. */
    private static int writeManifest(Path root) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        StringBuilder sums = new StringBuilder();
        for (Path file : files) {
            MessageDigest sha = sha256();
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha.update(buffer, 0, n);
                }
            }
            sums.append(HexFormat.of().formatHex(sha.digest()))
                    .append("  ")
                    .append(root.relativize(file).toString().replace('\\', '/'))
                    .append('\n');
        }
        Files.writeString(root.resolve("SHA256SUMS"), sums);
        return files.size() + 1;
    }

    private List<Path> split(Path archive, long partBytes, String digest) throws IOException {
        List<Path> parts = new ArrayList<>();
        String name = archive.getFileName().toString();
        try (InputStream in = Files.newInputStream(archive)) {
            byte[] buffer = new byte[1 << 20];
            for (int index = 0; ; index++) {
                Path part =
                        archive.resolveSibling(
                                String.format(Locale.ROOT, "%s.part-%03d", name, index));
                long written = 0;
                try (OutputStream partOut = Files.newOutputStream(part)) {
                    while (written < partBytes) {
                        int n =
                                in.read(
                                        buffer,
                                        0,
                                        (int) Math.min(buffer.length, partBytes - written));
                        if (n < 0) {
                            break;
                        }
                        partOut.write(buffer, 0, n);
                        written += n;
                    }
                }
                if (written == 0) {
                    Files.delete(part);
                    break;
                }
                parts.add(part);
            }
        }
        executable(
                archive.resolveSibling("reassemble.sh"),
                Launchers.reassemble(name, parts.size(), digest));
        return parts;
    }

    /** Parses {@code 50M}, {@code 1G}, {@code 700K} or plain bytes. */
    static long parseSize(String size) {
        String value = size.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        char last = value.isEmpty() ? ' ' : value.charAt(value.length() - 1);
        switch (last) {
            case 'K' -> unit = 1L << 10;
            case 'M' -> unit = 1L << 20;
            case 'G' -> unit = 1L << 30;
            default -> {}
        }
        try {
            long number =
                    Long.parseLong(unit == 1 ? value : value.substring(0, value.length() - 1));
            if (number < 1) {
                throw new NumberFormatException();
            }
            return number * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "--split " + size + ": expected a positive size such as 50M, 1G or 700K");
        }
    }

    private static String version() {
        Properties properties = new Properties();
        try (InputStream in = BundleBuilder.class.getResourceAsStream("bundle.properties")) {
            properties.load(in);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("bundle.properties is missing from the build", e);
        }
        return properties.getProperty("version");
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        if (!file.toFile().setExecutable(true, false)) {
            throw new IOException(file + ": cannot make it executable");
        }
    }

    private static void writeText(Path file, String text) throws IOException {
        AtomicFile.write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the staging folder " + dir, e);
        }
    }
}
