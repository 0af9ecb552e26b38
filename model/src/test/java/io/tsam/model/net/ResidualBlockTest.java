package io.tsam.model.net;

import static io.tsam.model.net.Fixtures.maxAbsDiff;
import static io.tsam.model.net.Fixtures.npy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.tsam.config.ShiftStyle;
import io.tsam.model.shift.ShiftTable;
import io.tsam.model.shift.TemporalShift;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parity of one shifted residual block with the PyTorch reference of {@code
 * src/test/python/make_block_fixtures.py} (torchvision blocks, shift written from the SPEC).
 */
class ResidualBlockTest {

    private static final int SEGMENTS = 3;
    private static final int AUDIO = 1;
    private static final int F_DIV = 4;
    private static final int DEPTH = 2;
    private static final int IN_CHANNELS = 8;
    private static final int SIZE = 6;
    private static final int IMAGES = 2 * (SEGMENTS + AUDIO);

    /** Measured worst difference is about 1e-6 (float32 sums of 72 products). */
    private static final float TOLERANCE = 2e-5f;

    @ParameterizedTest
    @ValueSource(strings = {"basic_block", "bottleneck"})
    void evalModeMatchesPyTorch(String fixture) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Fixtures.ENGINE)) {
            ResidualBlock block = loaded(manager, fixture);
            NDArray out = forward(manager, block, fixture, false);
            float diff = maxAbsDiff(out, npy(manager, fixture + "/eval_output.npy"));
            assertTrue(diff < TOLERANCE, fixture + " eval output differs by " + diff);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic_block", "bottleneck"})
    void trainModeMatchesPyTorchOutputAndRunningStats(String fixture) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Fixtures.ENGINE)) {
            ResidualBlock block = loaded(manager, fixture);
            NDArray out = forward(manager, block, fixture, true);
            float diff = maxAbsDiff(out, npy(manager, fixture + "/train_output.npy"));
            assertTrue(diff < TOLERANCE, fixture + " train output differs by " + diff);
            Map<String, Parameter> names = PyTorchNames.of(block);
            int checked = 0;
            for (String name : names.keySet()) {
                if (name.endsWith("running_mean") || name.endsWith("running_var")) {
                    NDArray expected = npy(manager, fixture + "/after_train/" + name + ".npy");
                    float statDiff = maxAbsDiff(names.get(name).getArray(), expected);
                    assertTrue(statDiff < TOLERANCE, name + " differs by " + statDiff);
                    checked++;
                }
            }
            assertEquals(fileCount(fixture + "/after_train"), checked);
        }
    }

    private static NDArray forward(
            NDManager manager, ResidualBlock block, String fixture, boolean training) {
        NDArray input = npy(manager, fixture + "/input.npy");
        return block.forward(new ParameterStore(manager, false), new NDList(input), training)
                .singletonOrThrow();
    }

    /** Builds the fixture's block and sets every parameter from its PyTorch-named file. */
    private static ResidualBlock loaded(NDManager manager, String fixture) {
        ShiftTable table = TemporalShift.table(ShiftStyle.TSM, SEGMENTS, IN_CHANNELS, F_DIV, DEPTH);
        ResidualBlock block =
                fixture.equals("basic_block")
                        ? new BasicBlock(IN_CHANNELS, 8, 1, Optional.of(table), AUDIO)
                        : new Bottleneck(IN_CHANNELS, 4, 2, Optional.of(table), AUDIO);
        block.initialize(manager, DataType.FLOAT32, new Shape(IMAGES, IN_CHANNELS, SIZE, SIZE));
        Map<String, Parameter> names = PyTorchNames.of(block);
        names.forEach(
                (name, parameter) ->
                        Fixtures.setValue(
                                parameter, npy(manager, fixture + "/params/" + name + ".npy")));
        assertEquals(fileCount(fixture + "/params"), names.size());
        return block;
    }

    private static long fileCount(String folder) {
        try (Stream<?> files = Files.list(Fixtures.resource(folder))) {
            return files.count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
