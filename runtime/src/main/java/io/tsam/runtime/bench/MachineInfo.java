package io.tsam.runtime.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machine a benchmark ran on, so that recorded figures can be compared.
 *
 * @param cpu the CPU model from {@code /proc/cpuinfo}, or {@code unknown}
 * @param cores the processors available to the JVM
 * @param os operating system name, version and architecture
 * @param java the Java version and VM
 * @param onnxRuntime the ONNX Runtime version
 * @param provider the execution provider that ran the model
 * @param gpus the NVIDIA GPUs the driver lists, empty when there are none
 */
public record MachineInfo(
        String cpu,
        int cores,
        String os,
        String java,
        String onnxRuntime,
        String provider,
        List<String> gpus) {

    private static final Logger logger = LoggerFactory.getLogger(MachineInfo.class);
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final Path NVIDIA_GPUS = Path.of("/proc/driver/nvidia/gpus");

    public MachineInfo {
        gpus = List.copyOf(gpus);
    }

    /** Describes this machine; what cannot be read is {@code unknown} or empty, never an error. */
    public static MachineInfo detect(String onnxRuntime, String provider) {
        return new MachineInfo(
                cpuModel().orElse("unknown"),
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name")
                        + " "
                        + System.getProperty("os.version")
                        + " "
                        + System.getProperty("os.arch"),
                System.getProperty("java.version")
                        + " ("
                        + System.getProperty("java.vm.name")
                        + ")",
                onnxRuntime,
                provider,
                nvidiaGpus());
    }

    private static Optional<String> cpuModel() {
        return fieldOf(CPU_INFO, "model name");
    }

    /** The {@code Model:} line of each GPU the NVIDIA driver lists under {@code /proc}. */
    private static List<String> nvidiaGpus() {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(NVIDIA_GPUS)) {
            return names;
        }
        try (Stream<Path> gpus = Files.list(NVIDIA_GPUS)) {
            for (Path gpu : gpus.sorted().toList()) {
                fieldOf(gpu.resolve("information"), "Model").ifPresent(names::add);
            }
        } catch (IOException e) {
            logger.debug("cannot list {}", NVIDIA_GPUS, e);
        }
        return names;
    }

    /** The value of the first {@code key: value} line of a text file. */
    private static Optional<String> fieldOf(Path file, String key) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim())
                    .filter(value -> !value.isEmpty())
                    .findFirst();
        } catch (IOException | UncheckedIOException e) {
            logger.debug("cannot read {}", file, e);
            return Optional.empty();
        }
    }
}
