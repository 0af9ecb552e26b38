package io.tsam.runtime.doctor;

import io.tsam.backend.tensorrt.GpuInfo;
import io.tsam.runtime.bench.MachineInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What {@link Doctor} found.
 *
 * @param host the CPU, memory, OS and Java
 * @param gpu the GPU the CUDA runtime and TensorRT loaded on, when they did
 * @param cudnn cuDNN's version, when it loaded
 * @param gpuProblem why no GPU is usable; empty when one is
 * @param providers one check per way of running a model, {@code cpu} first
 */
public record DoctorReport(
        MachineInfo host,
        Optional<GpuInfo> gpu,
        Optional<String> cudnn,
        String gpuProblem,
        List<ProviderCheck> providers) {

    private static final double GIB = 1024.0 * 1024 * 1024;

    public DoctorReport {
        providers = List.copyOf(providers);
    }

    /** The check of {@code name}. */
    public Optional<ProviderCheck> provider(String name) {
        return providers.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Whether every one of {@code required} is usable and, if smoke-tested, ran. */
    public boolean works(List<String> required) {
        return required.stream()
                .allMatch(name -> provider(name).map(ProviderCheck::works).orElse(false));
    }

    /** The report for people: the host, then one line per provider. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(
                String.format(
                        Locale.ROOT,
                        "host: %s, %d cores, %.1f GiB, %s%n"
                                + "simd: %s%n"
                                + "java: %s; ONNX Runtime %s%n",
                        host.cpu(),
                        host.cores(),
                        host.memoryBytes() / GIB,
                        host.os(),
                        host.simd().isEmpty() ? "none found" : String.join(" ", host.simd()),
                        host.java(),
                        host.onnxRuntime()));
        out.append(
                gpu.map(
                                g ->
                                        String.format(
                                                Locale.ROOT,
                                                "gpu: %s (compute %s), driver CUDA %s, runtime %s,"
                                                        + " cuDNN %s, TensorRT %s%n",
                                                g.name(),
                                                g.computeCapability(),
                                                g.cudaDriverVersion(),
                                                g.cudaRuntimeVersion(),
                                                cudnn.orElse("not found"),
                                                g.tensorRtVersion()))
                        .orElse(
                                "gpu: none usable ("
                                        + gpuProblem
                                        + ")"
                                        + (host.gpus().isEmpty()
                                                ? ""
                                                : "; the driver lists " + host.gpus())
                                        + System.lineSeparator()));
        for (ProviderCheck check : providers) {
            out.append(
                    String.format(
                            Locale.ROOT,
                            "%-16s %-6s %s%n",
                            check.name(),
                            check.usable() ? "yes" : "no",
                            check.detail()));
            check.smoke()
                    .ifPresent(
                            smoke ->
                                    out.append(
                                            smoke.ran()
                                                    ? String.format(
                                                            Locale.ROOT,
                                                            "%-16s        smoke (batch %d): max abs"
                                                                    + " diff vs cpu %.3g, top-1"
                                                                    + " agreement %.0f%%, p50"
                                                                    + " %.2f ms%n",
                                                            "",
                                                            smoke.samples(),
                                                            smoke.maxAbsDifference(),
                                                            100 * smoke.top1Agreement(),
                                                            smoke.medianMs())
                                                    : String.format(
                                                            Locale.ROOT,
                                                            "%-16s        smoke failed: %s%n",
                                                            "",
                                                            smoke.error().orElseThrow())));
        }
        return out.toString();
    }

    /** The report as JSON-ready maps and lists, keys in snake case. */
    public Map<String, Object> toMap() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> hostMap = new LinkedHashMap<>();
        hostMap.put("cpu", host.cpu());
        hostMap.put("cores", host.cores());
        hostMap.put("simd", host.simd());
        hostMap.put("memory_bytes", host.memoryBytes());
        hostMap.put("os", host.os());
        hostMap.put("java", host.java());
        hostMap.put("onnxruntime", host.onnxRuntime());
        hostMap.put("driver_gpus", host.gpus());
        root.put("host", hostMap);
        Map<String, Object> gpuMap = new LinkedHashMap<>();
        gpuMap.put("usable", gpu.isPresent());
        gpu.ifPresent(
                g -> {
                    gpuMap.put("name", g.name());
                    gpuMap.put("compute_capability", g.computeCapability());
                    gpuMap.put("cuda_driver_version", g.cudaDriverVersion());
                    gpuMap.put("cuda_runtime_version", g.cudaRuntimeVersion());
                    gpuMap.put("cudnn_version", cudnn.orElse(null));
                    gpuMap.put("tensorrt_version", g.tensorRtVersion());
                });
        if (gpu.isEmpty()) {
            gpuMap.put("problem", gpuProblem);
        }
        root.put("gpu", gpuMap);
        List<Map<String, Object>> checks =
                providers.stream()
                        .map(
                                check -> {
                                    Map<String, Object> map = new LinkedHashMap<>();
                                    map.put("name", check.name());
                                    map.put("usable", check.usable());
                                    map.put("detail", check.detail());
                                    check.smoke().ifPresent(s -> map.put("smoke", smokeMap(s)));
                                    return map;
                                })
                        .toList();
        root.put("providers", checks);
        return root;
    }

    private static Map<String, Object> smokeMap(SmokeResult smoke) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("ran", smoke.ran());
        if (smoke.ran()) {
            map.put("batch", smoke.samples());
            map.put("max_abs_diff_vs_cpu", smoke.maxAbsDifference());
            map.put("top1_agreement", smoke.top1Agreement());
            map.put("p50_ms", smoke.medianMs());
        } else {
            map.put("error", smoke.error().orElseThrow());
        }
        return map;
    }
}
