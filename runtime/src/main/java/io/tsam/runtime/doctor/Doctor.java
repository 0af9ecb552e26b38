package io.tsam.runtime.doctor;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import io.tsam.backend.EngineBackends;
import io.tsam.backend.ExecutionProvider;
import io.tsam.backend.InferenceBackend;
import io.tsam.backend.OrtBackend;
import io.tsam.backend.TensorSpec;
import io.tsam.backend.tensorrt.GpuInfo;
import io.tsam.backend.tensorrt.GpuProbe;
import io.tsam.backend.tensorrt.GpuStatus;
import io.tsam.runtime.bench.MachineInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Examines this machine: the host, each way of running a model, the GPUs; and with a model, one
 * smoke inference per usable provider compared with the CPU's.
 */
public final class Doctor {

    /** Samples per smoke comparison: enough to see a top-1 disagreement, cheap on a CPU. */
    static final int SMOKE_BATCH = 2;

    private static final int TIMED_RUNS = 5;
    private static final long SEED = 20261202L;
    private static final double NANOS_PER_MS = 1e6;

    private Doctor() {}

    /**
     * Examines the machine.
     *
     * @param model an exported {@code .onnx} to smoke-test each ONNX Runtime provider with, or
     *     empty
     * @param engine a TensorRT engine built from {@code model}, to smoke-test too, or empty
     * @return the findings; never throws for what is missing here
     */
    public static DoctorReport examine(Optional<Path> model, Optional<Path> engine) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        MachineInfo host = MachineInfo.detect(environment.getVersion(), "cpu");
        GpuStatus gpu = GpuProbe.probe();
        List<ProviderCheck> checks = new ArrayList<>();
        float[] reference = null;
        Map<String, FloatBuffer> inputs = null;
        for (ExecutionProvider provider :
                List.of(
                        ExecutionProvider.CPU,
                        ExecutionProvider.CUDA,
                        ExecutionProvider.TENSORRT)) {
            Optional<String> problem = ortProblem(provider);
            String detail =
                    problem.orElse(
                            "ONNX Runtime "
                                    + environment.getVersion()
                                    + (provider == ExecutionProvider.CPU ? "" : ", device 0"));
            Optional<SmokeResult> smoke = Optional.empty();
            if (problem.isEmpty() && model.isPresent()) {
                try (OrtBackend backend =
                        OrtBackend.builder()
                                .setModel(model.get())
                                .setEnvironment(environment)
                                .optProvider(provider)
                                .build()) {
                    if (provider == ExecutionProvider.CPU) {
                        inputs = inputs(backend);
                        reference = backend.run(SMOKE_BATCH, inputs);
                    }
                    smoke = Optional.of(smoke(backend, inputs, reference));
                } catch (RuntimeException e) {
                    if (provider == ExecutionProvider.CPU) {
                        // Without the CPU's logits nothing else can be compared: a broken model.
                        throw e;
                    }
                    smoke = Optional.of(SmokeResult.failed(e.getMessage()));
                }
            }
            checks.add(new ProviderCheck(provider.cliName(), problem.isEmpty(), detail, smoke));
        }
        checks.add(engineCheck(gpu, engine, inputs, reference));
        return new DoctorReport(host, gpu.gpu(), cudnnVersion(gpu), gpu.problem(), checks);
    }

    /** Why ONNX Runtime cannot use {@code provider} here; empty when it can. */
    private static Optional<String> ortProblem(ExecutionProvider provider) {
        if (provider == ExecutionProvider.CPU) {
            return Optional.empty();
        }
        OrtProvider needed =
                provider == ExecutionProvider.TENSORRT ? OrtProvider.TENSOR_RT : OrtProvider.CUDA;
        if (!OrtEnvironment.getAvailableProviders().contains(needed)) {
            return Optional.of(
                    "not in this ONNX Runtime build (the GPU build has it: onnxruntime_gpu, a"
                            + " CUDA 12 driver, CUDA 12 and cuDNN 9"
                            + (provider == ExecutionProvider.TENSORRT ? ", TensorRT 10" : "")
                            + ")");
        }
        // Adding the provider loads its library and CUDA's: the failure names what is missing.
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (provider == ExecutionProvider.TENSORRT) {
                options.addTensorrt(0);
            }
            options.addCUDA(0);
            return Optional.empty();
        } catch (OrtException | RuntimeException | LinkageError e) {
            String message = String.valueOf(e.getMessage());
            return Optional.of(message.lines().findFirst().orElse(message));
        }
    }

    private static ProviderCheck engineCheck(
            GpuStatus gpu,
            Optional<Path> engine,
            Map<String, FloatBuffer> inputs,
            float[] reference) {
        if (!gpu.available()) {
            return new ProviderCheck("tensorrt-engine", false, gpu.problem(), Optional.empty());
        }
        GpuInfo info = gpu.gpu().orElseThrow();
        String detail = "TensorRT " + info.tensorRtVersion() + " on " + info.name();
        Optional<SmokeResult> smoke = Optional.empty();
        if (engine.isPresent()) {
            try (InferenceBackend backend = EngineBackends.open(engine.get())) {
                smoke = Optional.of(smoke(backend, inputs, reference));
            } catch (RuntimeException e) {
                smoke = Optional.of(SmokeResult.failed(e.getMessage()));
            }
        }
        return new ProviderCheck("tensorrt-engine", true, detail, smoke);
    }

    /** Runs the comparison batch once to warm up, then {@value #TIMED_RUNS} times. */
    private static SmokeResult smoke(
            InferenceBackend backend, Map<String, FloatBuffer> inputs, float[] reference) {
        if (inputs == null) {
            return SmokeResult.failed("no CPU reference: give the .onnx with --model");
        }
        int batch = Math.min(SMOKE_BATCH, backend.maxBatch());
        float[] logits = backend.run(batch, inputs);
        double[] times = new double[TIMED_RUNS];
        for (int i = 0; i < TIMED_RUNS; i++) {
            long start = System.nanoTime();
            backend.run(batch, inputs);
            times[i] = (System.nanoTime() - start) / NANOS_PER_MS;
        }
        Arrays.sort(times);
        int classes = logits.length / batch;
        double maxAbs = 0;
        int agree = 0;
        for (int n = 0; n < batch; n++) {
            int best = 0;
            int bestReference = 0;
            for (int k = 0; k < classes; k++) {
                int i = n * classes + k;
                maxAbs = Math.max(maxAbs, Math.abs(logits[i] - reference[i]));
                best = logits[i] > logits[n * classes + best] ? k : best;
                bestReference =
                        reference[i] > reference[n * classes + bestReference] ? k : bestReference;
            }
            agree += best == bestReference ? 1 : 0;
        }
        return new SmokeResult(
                batch, maxAbs, (double) agree / batch, times[TIMED_RUNS / 2], Optional.empty());
    }

    private static Map<String, FloatBuffer> inputs(InferenceBackend backend) {
        SplittableRandom random = new SplittableRandom(SEED);
        Map<String, FloatBuffer> inputs = new LinkedHashMap<>();
        for (TensorSpec spec : backend.inputs()) {
            float[] values = new float[Math.toIntExact(SMOKE_BATCH * spec.sampleElements())];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) random.nextGaussian();
            }
            inputs.put(spec.name(), FloatBuffer.wrap(values));
        }
        return inputs;
    }

    /** cuDNN's version when the CUDA libraries load, for the report. */
    private static Optional<String> cudnnVersion(GpuStatus gpu) {
        if (!gpu.available()) {
            return Optional.empty();
        }
        try {
            long version = org.bytedeco.cuda.global.cudnn.cudnnGetVersion();
            return Optional.of(version / 10000 + "." + version % 10000 / 100 + "." + version % 100);
        } catch (LinkageError e) {
            return Optional.empty();
        }
    }
}
