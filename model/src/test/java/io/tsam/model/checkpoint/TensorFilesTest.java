package io.tsam.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TensorFilesTest {
    private static NDManager manager;

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void readsTheStateDictOfATrainingCheckpointExactly() {
        // Half, bfloat16 and float64 tensors, a 0-d int64, a transposed and a permuted weight,
        // and two slices of one storage at offsets 3 and 7: the values must be numpy's, bit for
        // bit, under the stored (module.-prefixed) names, in the stored order.
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors = TensorFiles.read(Fixtures.file("tsm_tiny.pth"), scope);
            Fixtures.assertMatchesExpected("tsm_tiny", tensors, true);
            assertEquals(
                    0,
                    tensors.get("module.base_model.bn1.num_batches_tracked")
                            .getShape()
                            .dimension());
        }
    }

    @Test
    void readsTheModelStateOfACheckpointSavedByTsamsCode() {
        // TSAM's checkpoints nest one state dict per model part under model_state, next to a
        // data_state holding numpy scalars and an optimizer state: the parts come back flattened.
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors =
                    TensorFiles.read(Fixtures.file("tsam_code_tiny.pth"), scope);
            Fixtures.assertMatchesExpected("tsam_code_tiny", tensors, true);
        }
    }

    @Test
    void readsBothByteOrders() {
        try (NDManager scope = manager.newSubManager()) {
            Fixtures.assertMatchesExpected(
                    "byteorder",
                    TensorFiles.read(Fixtures.file("byteorder_little.pth"), scope),
                    true);
            Fixtures.assertMatchesExpected(
                    "byteorder", TensorFiles.read(Fixtures.file("byteorder_big.pth"), scope), true);
        }
    }

    @Test
    void readsAPlainStateDict() {
        try (NDManager scope = manager.newSubManager()) {
            Fixtures.assertMatchesExpected(
                    "plain_resnet",
                    TensorFiles.read(Fixtures.file("plain_resnet.pth"), scope),
                    true);
        }
    }

    @Test
    void readsASafetensorsFileWrittenByPython() {
        // F16, BF16, F64, I64 and F32 tensors, a __metadata__ entry and a space-padded header.
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors =
                    TensorFiles.read(Fixtures.file("plain_resnet.safetensors"), scope);
            Fixtures.assertMatchesExpected("plain_resnet", tensors, false);
        }
    }

    @Test
    void refusesAPickleThatCallsOsSystem() {
        Path file = Fixtures.file("malicious_os_system.pth");
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> TensorFiles.read(file, manager));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        // os.system pickles as posix.system on Linux.
        assertTrue(e.getMessage().contains("global posix.system,"), e.getMessage());
        assertEquals(file, e.file());
    }

    @Test
    void refusesAPickleThatCallsEval() {
        // Protocol 4: the global comes through STACK_GLOBAL rather than GLOBAL.
        Path file = Fixtures.file("malicious_eval.pth");
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> TensorFiles.read(file, manager));
        assertTrue(e.getMessage().contains("global builtins.eval,"), e.getMessage());
    }

    /**
     * Every opcode that can reach a Python global is stopped at the name, before any constructor
     * runs: GLOBAL (protocols 0-3) with REDUCE, OBJ or NEWOBJ after it, STACK_GLOBAL (protocol 4)
     * with REDUCE, INST (protocol 0), and the copyreg extension codes EXT1/2/4, which Pyrolite does
     * not resolve at all.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "GLOBAL + REDUCE, 80 02 63 6f 73 0a 73 79 73 74 65 6d 0a 58 02 00 00 00 6c 73 85 52 2e, os.system",
        "GLOBAL + OBJ, 28 63 6f 73 0a 73 79 73 74 65 6d 0a 58 02 00 00 00 6c 73 6f 2e, os.system",
        "GLOBAL + NEWOBJ, 80 02 63 6f 73 0a 73 79 73 74 65 6d 0a 29 81 2e, os.system",
        "STACK_GLOBAL + REDUCE, 80 04 8c 08 62 75 69 6c 74 69 6e 73 8c 04 65 76 61 6c 93 8c 01 31 85 52 2e,"
                + " builtins.eval",
        "INST, 28 56 6c 73 0a 69 6f 73 0a 73 79 73 74 65 6d 0a 2e, os.system",
        "EXT1, 80 02 82 01 29 52 2e, ",
    })
    void refusesEveryOpcodePathThatReachesAGlobal(
            String path, String hex, String global, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("evil.pth");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(HexFormat.ofDelimiter(" ").parseHex(hex));
            zip.closeEntry();
        }
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> TensorFiles.read(file, manager));
        assertEquals(file, e.file());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        if (global != null) {
            assertTrue(e.getMessage().contains("global " + global + ","), e.getMessage());
        }
    }

    /** A fuzzing finding: a 893-byte archive made the unpickler allocate 2 GiB before failing. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "BINUNICODE, 80 02 58 ff ff ff 7f 61 62 63 2e",
        "BINBYTES, 80 03 42 ff ff ff 7f 61 62 63 2e",
        "BINUNICODE8, 80 04 8d ff ff ff ff ff ff ff 7f 61 2e",
    })
    void aValueLongerThanThePickleIsRefusedBeforeItIsAllocated(
            String opcode, String hex, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("huge.pth");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("archive/data.pkl"));
            zip.write(HexFormat.ofDelimiter(" ").parseHex(hex));
            zip.closeEntry();
        }
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> TensorFiles.read(file, manager));
        assertTrue(e.getMessage().contains("more than the pickle's"), e.getMessage());
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < (256L << 20), "allocated " + (after - before) + " bytes");
    }

    @Test
    void explainsHowToResaveTheLegacyFormat() {
        Path file = Fixtures.file("legacy.pth");
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> TensorFiles.read(file, manager));
        assertTrue(e.getMessage().startsWith(file + ": is in the legacy torch.save format"));
        assertTrue(e.getMessage().contains("torch.save(torch.load('legacy.pth'"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void refusesOtherFiles(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("notes.pth");
        Files.writeString(text, "not weights at all");
        CheckpointException e =
                assertThrows(CheckpointException.class, () -> TensorFiles.read(text, manager));
        assertEquals(
                text + ": is neither a torch.save archive (zip form) nor a safetensors file",
                e.getMessage());
        Path missing = dir.resolve("missing.pth");
        assertThrows(CheckpointException.class, () -> TensorFiles.read(missing, manager));
    }

    @Test
    void safetensorsDispatchIgnoresTheExtension(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("weights.bin");
        Files.copy(Fixtures.file("plain_resnet.safetensors"), file);
        try (NDManager scope = manager.newSubManager()) {
            Map<String, NDArray> tensors = TensorFiles.read(file, scope);
            assertArrayEquals(new long[] {10, 8}, tensors.get("fc.weight").getShape().getShape());
        }
    }
}
