package io.tsam.exporter.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnxruntime.OrtEnvironment;
import io.tsam.backend.OrtBackend;
import io.tsam.config.ShiftConfig;
import io.tsam.config.ShiftStyle;
import io.tsam.config.TsamConfig;
import io.tsam.exporter.TestNets;
import io.tsam.exporter.verify.OutputComparison;
import io.tsam.exporter.verify.ParityCheck;
import io.tsam.exporter.verify.ParityInput;
import io.tsam.exporter.verify.ParityReport;
import io.tsam.exporter.verify.ShiftCheck;
import io.tsam.model.net.ResNetStage;
import io.tsam.model.net.ResidualBlock;
import io.tsam.model.net.TsamNet;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The parity matrix: ONNX Runtime on the exported graph against the DJL net, on seeded random
 * inputs of batch 1 and 3 through one session, for a covering subset of backbones, segments, shift
 * parameters, audio and shift placement; plus the census of what the graph may and must contain.
 */
class TsamOnnxExporterParityTest {

    private static final String SHA = "0".repeat(64);

    /** Every operator the graph may use; the shift adds only Pad, Gather and Reshape. */
    private static final Set<String> ALLOWED =
            Set.of(
                    "Conv",
                    "Relu",
                    "MaxPool",
                    "Add",
                    "GlobalAveragePool",
                    "Flatten",
                    "Reshape",
                    "ReduceMean",
                    "Gemm",
                    "Unsqueeze",
                    "Concat",
                    "Pad",
                    "Gather");

    private static final int CLASSES = 5;

    private static NDManager manager;
    private static OrtEnvironment environment;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager(Device.cpu());
        environment = OrtEnvironment.getEnvironment();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @ParameterizedTest(name = "{0} {1} T={2} A={3} shift={4} f_div={5} k={6} n={7} m={8} {9}px")
    @CsvSource({
        "tsm, resnet18, 1, 0, true, 8, 1, 1, 0, 32",
        "tsm, resnet18, 3, 1, true, 4, 2, 2, 1, 48",
        "tsm, resnet18, 8, 1, true, 8, 1, 1, 0, 32",
        "tsm, resnet18, 8, 0, true, 2, 4, 1, 0, 32",
        "tsm, resnet18, 3, 0, true, 8, 4, 3, 2, 32",
        "tsm, resnet18, 3, 1, false, 8, 1, 1, 0, 32",
        "tsm, resnet18, 1, 1, true, 2, 2, 1, 0, 32",
        "tsm, resnet18, 8, 1, true, 4, 4, 2, 0, 32",
        "tsm, resnet50, 8, 1, true, 8, 1, 1, 0, 32",
        "tsm, resnet50, 3, 0, true, 4, 2, 2, 0, 32",
        "tsm, resnet50, 1, 1, false, 8, 1, 1, 0, 32",
        "tsm, resnet50, 3, 1, true, 2, 4, 3, 1, 32",
        "tsam, resnet18, 1, 0, true, 8, 1, 1, 0, 32",
        "tsam, resnet18, 3, 1, true, 4, 2, 2, 1, 48",
        "tsam, resnet18, 8, 1, true, 8, 1, 1, 0, 32",
        "tsam, resnet18, 8, 0, true, 2, 4, 1, 0, 32",
        "tsam, resnet18, 3, 0, true, 8, 4, 3, 2, 32",
        "tsam, resnet18, 1, 1, true, 2, 2, 1, 0, 32",
        "tsam, resnet18, 8, 1, true, 4, 4, 2, 0, 32",
        "tsam, resnet50, 8, 1, true, 8, 1, 1, 0, 32",
        "tsam, resnet50, 3, 0, true, 4, 2, 2, 0, 32",
        "tsam, resnet50, 8, 1, true, 4, 4, 2, 0, 32",
        "tsam, resnet50, 3, 1, true, 2, 4, 3, 1, 32",
    })
    void onnxRuntimeMatchesTheDjlNet(
            String style,
            String arch,
            int videoSegments,
            int audioSegments,
            boolean status,
            int fDiv,
            int depth,
            int nInsert,
            int mInsert,
            int size) {
        ShiftConfig shift =
                new ShiftConfig(
                        status,
                        fDiv,
                        depth,
                        nInsert,
                        mInsert,
                        ShiftStyle.valueOf(style.toUpperCase(Locale.ROOT)));
        TsamConfig config = TestNets.config(arch, videoSegments, audioSegments, shift, size);
        try (NDManager scope = manager.newSubManager()) {
            TsamNet net = TestNets.net(scope, config, CLASSES, 17L * videoSegments + fDiv);
            ModelProto model =
                    TsamOnnxExporter.builder()
                            .setNet(net)
                            .setConfig(config)
                            .setCheckpointSha256(SHA)
                            .build()
                            .export();

            ParityReport report;
            // The default level on CPU runs the shifts moved into ONNX Runtime's blocked layout
            // wherever their folds fall on whole channel blocks (most rows here).
            try (OrtBackend backend =
                    OrtBackend.builder()
                            .setModel(model.toByteArray(), Path.of("model.onnx"))
                            .setEnvironment(environment)
                            .optIntraOpThreads(2)
                            .build()) {
                report =
                        ParityCheck.builder()
                                .setBackend(backend)
                                .setNet(net)
                                .setInputs(ParityInput.standard(config.model(), size, 5))
                                .build()
                                .run()
                                .withShifts(ShiftCheck.run(model, net, 5));
            }

            assertTrue(report.passed(), report::table);
            assertEquals(2, report.comparisons().size());
            assertEquals(shiftedBlocks(net), report.shifts().size(), report::table);
            for (OutputComparison comparison : report.comparisons()) {
                assertEquals(1.0, comparison.top1Agreement(), report::table);
                assertTrue(comparison.maxRelError() < 1e-4, report::table);
            }
            OpCensus census = OpCensus.of(model);
            for (String forbidden : List.of("ScatterND", "Loop", "If", "Where", "Scan")) {
                assertEquals(0, census.count(forbidden), forbidden + " in " + census);
            }
            assertTrue(ALLOWED.containsAll(census.counts().keySet()), census::toString);
            assertEquals(shiftedBlocks(net), census.count("Gather"), census::toString);
            // TSAM's style never reads past the clip, so only TSM's needs the zero frame.
            assertEquals(
                    shift.style() == ShiftStyle.TSM ? shiftedBlocks(net) : 0,
                    census.count("Pad"),
                    census::toString);
            assertEquals(
                    audioSegments, census.count("Concat"), "only video + audio is concatenated");
            assertEquals(convs(net), census.count("Conv"), census::toString);
            assertEquals(0, census.count("BatchNormalization"), census::toString);
        }
    }

    private static int shiftedBlocks(TsamNet net) {
        int count = 0;
        for (ResNetStage stage : net.backbone().stages()) {
            for (ResidualBlock block : stage.blocks()) {
                count += block.shiftedConv().isPresent() ? 1 : 0;
            }
        }
        return count;
    }

    private static int convs(TsamNet net) {
        int count = 1;
        for (ResNetStage stage : net.backbone().stages()) {
            for (ResidualBlock block : stage.blocks()) {
                count += block.convs().size() + (block.downsample().isPresent() ? 1 : 0);
            }
        }
        return count;
    }
}
