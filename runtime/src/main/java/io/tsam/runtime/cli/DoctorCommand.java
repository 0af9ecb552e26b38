package io.tsam.runtime.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tsam.common.cli.ExitCode;
import io.tsam.runtime.TsamModel;
import io.tsam.runtime.doctor.Doctor;
import io.tsam.runtime.doctor.DoctorReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tsam-run doctor}: what this machine can run, and whether it runs a model right. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Checks this machine: CPU and its vector extensions, memory, which providers can run"
                    + " models (cpu, cuda, tensorrt, tensorrt-engine), the GPU with its"
                    + " driver/CUDA/cuDNN/TensorRT versions; with --model, one smoke inference per"
                    + " usable provider compared with the CPU.",
            "Exit status 0 when every --require'd provider works, 3 otherwise."
        })
final class DoctorCommand implements Callable<Integer> {

    private static final Set<String> PROVIDERS =
            Set.of("cpu", "cuda", "tensorrt", "tensorrt-engine");

    @Option(
            names = "--model",
            paramLabel = "FILE",
            description = "An exported .onnx to smoke-test each usable provider with.")
    Path model;

    @Option(
            names = "--engine",
            paramLabel = "FILE",
            description = "A TensorRT engine (.plan) built from --model, to smoke-test too.")
    Path engine;

    @Option(
            names = "--require",
            split = ",",
            paramLabel = "NAME",
            defaultValue = "cpu",
            description =
                    "Providers that must work for exit status 0: cpu, cuda, tensorrt,"
                            + " tensorrt-engine (default: ${DEFAULT-VALUE}).")
    List<String> required;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        for (String name : required) {
            if (!PROVIDERS.contains(name)) {
                throw new IllegalArgumentException(
                        "--require " + name + ": not one of cpu, cuda, tensorrt, tensorrt-engine");
            }
        }
        if (model != null && TsamModel.isEngine(model)) {
            throw new IllegalArgumentException(
                    "--model " + model + ": give the .onnx here and the engine with --engine");
        }
        if (engine != null && model == null) {
            throw new IllegalArgumentException(
                    "--engine needs --model, the .onnx it was built from: the CPU's logits are"
                            + " the reference");
        }
        DoctorReport report =
                Doctor.examine(Optional.ofNullable(model), Optional.ofNullable(engine));
        PrintWriter out = spec.commandLine().getOut();
        boolean works = report.works(required);
        if (json) {
            Map<String, Object> map = new LinkedHashMap<>(report.toMap());
            map.put("required", required);
            map.put("ok", works);
            out.println(
                    new ObjectMapper()
                            .enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValueAsString(map));
        } else {
            out.print(report.table());
            out.println(
                    works
                            ? "ok: "
                                    + String.join(", ", required)
                                    + (required.size() == 1 ? " works" : " work")
                            : "not ok: required " + String.join(", ", required));
        }
        out.flush();
        return works ? ExitCode.OK : ExitCode.BAD_INPUT;
    }
}
