package io.tsam.runtime.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * @param simd the vector extensions the CPU reports that matter to inference kernels ({@link
 *     #SIMD_FLAGS}), in that order
 * @param memoryBytes the machine's memory from {@code /proc/meminfo}, 0 when unknown
 * @param os operating system name, version and architecture
 * @param java the Java version and VM
 * @param onnxRuntime the ONNX Runtime version
 * @param provider the execution provider that ran the model
 * @param gpus the NVIDIA GPUs the driver lists, empty when there are none
 */
public record MachineInfo(
        String cpu,
        int cores,
        List<String> simd,
        long memoryBytes,
        String os,
        String java,
        String onnxRuntime,
        String provider,
        List<String> gpus) {

    private static final Logger logger = LoggerFactory.getLogger(MachineInfo.class);
    private static final Path CPU_INFO = Path.of("/proc/cpuinfo");
    private static final Path MEM_INFO = Path.of("/proc/meminfo");
    private static final long KIB = 1024;

    /**
     * The {@code /proc/cpuinfo} flags (x86-64) and features (arm64) that decide which kernels ONNX
     * Runtime and TensorRT's CPU fallbacks pick: AVX2 and AVX-512 widths, VNNI for INT8, BF16, AMX;
     * NEON, SVE, dot product and I8MM on ARM.
     */
    public static final List<String> SIMD_FLAGS =
            List.of(
                    "sse4_2",
                    "avx",
                    "avx2",
                    "fma",
                    "avx512f",
                    "avx512bw",
                    "avx512vl",
                    "avx512_vnni",
                    "avx512_bf16",
                    "avx_vnni",
                    "amx_tile",
                    "amx_int8",
                    "amx_bf16",
                    "asimd",
                    "asimddp",
                    "sve",
                    "sve2",
                    "i8mm",
                    "bf16");

    private static final Path NVIDIA_GPUS = Path.of("/proc/driver/nvidia/gpus");

    public MachineInfo {
        simd = List.copyOf(simd);
        gpus = List.copyOf(gpus);
    }

    /** Writes this description into {@code json}: cpu, cores, simd, memory, os, java, providers. */
    public void writeTo(ObjectNode json) {
        json.put("cpu", cpu);
        json.put("cores", cores);
        ArrayNode flags = json.putArray("simd");
        simd.forEach(flags::add);
        json.put("memory_bytes", memoryBytes);
        json.put("os", os);
        json.put("java", java);
        json.put("onnxruntime", onnxRuntime);
        json.put("provider", provider);
        ArrayNode list = json.putArray("gpus");
        gpus.forEach(list::add);
    }

    /** Describes this machine; what cannot be read is {@code unknown} or empty, never an error. */
    public static MachineInfo detect(String onnxRuntime, String provider) {
        return new MachineInfo(
                cpuModel().orElse("unknown"),
                Runtime.getRuntime().availableProcessors(),
                simdFlags(),
                totalMemory(),
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
        return fieldOf(CPU_INFO, "model name").or(() -> fieldOf(CPU_INFO, "Model"));
    }

    private static List<String> simdFlags() {
        List<String> present =
                List.of(
                        fieldOf(CPU_INFO, "flags")
                                .or(() -> fieldOf(CPU_INFO, "Features"))
                                .orElse("")
                                .split("\\s+"));
        return SIMD_FLAGS.stream().filter(present::contains).toList();
    }

    private static long totalMemory() {
        return fieldOf(MEM_INFO, "MemTotal")
                .map(value -> Long.parseLong(value.replaceAll("[^0-9]", "")) * KIB)
                .orElse(0L);
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
