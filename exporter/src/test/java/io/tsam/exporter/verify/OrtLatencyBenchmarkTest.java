package io.tsam.exporter.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.tsam.config.ShiftConfig;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.exporter.onnx.TsamOnnxExporter;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Records (does not assert) the ONNX Runtime CPU latency of TSAM-R50 (T=8, A=1, 224x224, batch 1,
 * two intra-op threads) with the shift on and off: the median of 20 runs each after 3 warm-ups, the
 * two sessions alternating run by run so that a change in the machine's load hits both alike.
 * Skipped unless {@code -Dtsam.benchmark=true}: it takes a minute and CI times nothing.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "tsam.benchmark", matches = "true")
class OrtLatencyBenchmarkTest {

    private static final int SIZE = 224;
    private static final int WARM_UP = 3;
    private static final int RUNS = 20;
    private static final int THREADS = 2;

    @Test
    void tsamResNet50LatencyWithAndWithoutTheShift() throws OrtException {
        TsamConfig on = TestNets.config("resnet50", 8, 1, ShiftConfig.defaults(), SIZE);
        TsamConfig off = on.withShiftTemporal(new ShiftConfig(false, 8, 1, 1, 0));
        ParityInput input = ParityInput.random(on.model(), SIZE, 1, 1);
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(THREADS);
            options.setInterOpNumThreads(1);
            try (OrtSession shifted = environment.createSession(export(on), options);
                    OrtSession plain = environment.createSession(export(off), options);
                    OnnxTensor video =
                            OnnxTensor.createTensor(
                                    environment,
                                    FloatBuffer.wrap(input.video()),
                                    input.videoShape());
                    OnnxTensor audio =
                            OnnxTensor.createTensor(
                                    environment,
                                    FloatBuffer.wrap(input.audio().orElseThrow()),
                                    input.audioShape())) {
                Map<String, OnnxTensor> feeds = Map.of("video", video, "audio", audio);
                double[] withShift = new double[RUNS];
                double[] without = new double[RUNS];
                for (int i = -WARM_UP; i < RUNS; i++) {
                    double a = time(shifted, feeds);
                    double b = time(plain, feeds);
                    if (i >= 0) {
                        withShift[i] = a;
                        without[i] = b;
                    }
                }
                double medianOn = median(withShift);
                double medianOff = median(without);
                System.out.printf(
                        Locale.ROOT,
                        "TSAM-R50 T=8 A=1 %dx%d N=1, ONNX Runtime CPU, %d intra-op threads, median"
                                + " of %d: shift on %.1f ms, shift off %.1f ms (%+.1f%%)%n",
                        SIZE,
                        SIZE,
                        THREADS,
                        RUNS,
                        medianOn,
                        medianOff,
                        100 * (medianOn - medianOff) / medianOff);
            }
        }
    }

    private static byte[] export(TsamConfig config) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            return TsamOnnxExporter.builder()
                    .setNet(TestNets.net(manager, config, 400, 1))
                    .setConfig(config)
                    .setCheckpointSha256("0".repeat(64))
                    .build()
                    .export()
                    .toByteArray();
        }
    }

    private static double time(OrtSession session, Map<String, OnnxTensor> feeds)
            throws OrtException {
        long start = System.nanoTime();
        try (OrtSession.Result result = session.run(feeds)) {
            assertEquals(1, result.size());
        }
        return (System.nanoTime() - start) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }
}
