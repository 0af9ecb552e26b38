package io.tsam.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

/**
 * Reads the tensors of a weights file, whatever its name: the format is recognised from the
 * content.
 *
 * <ul>
 *   <li>PyTorch {@code torch.save} files in the zip form (torch 1.6 and later; {@code .pth}, {@code
 *       .pt}, {@code .pth.tar}): the tensors of the {@code state_dict} entry of a training
 *       checkpoint, or of the top-level dict when the file is a plain state dict. Other entries
 *       (epoch, arch, optimizer state...) are not read. The pickle is read with an allow-list of
 *       Python globals; anything else is refused (see {@link TorchUnpickler}).
 *   <li>safetensors files (see {@link Safetensors}).
 * </ul>
 *
 * <p>The legacy torch.save format (before torch 1.6) and TorchScript archives are refused with a
 * message saying how to re-save the file.
 */
public final class TensorFiles {
    private static final int SNIFF_BYTES = 512;

    /** The oldest torch.save wrote a tar archive: "ustar" at this offset. */
    private static final int TAR_MAGIC_OFFSET = 257;

    private TensorFiles() {}

    /**
     * The tensors of {@code file} under their names as stored (a {@code module.} prefix is kept):
     * floating tensors of any precision as float32, integer tensors as int64 (e.g. {@code
     * num_batches_tracked}). The arrays belong to {@code manager}; nothing is left in it when this
     * throws.
     *
     * @throws CheckpointException naming the file if it cannot be read, is of an unsupported or
     *     unsafe format, or holds no state dict
     */
    public static LinkedHashMap<String, NDArray> read(Path file, NDManager manager) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(SNIFF_BYTES);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
        if (matchesAt(head, 0, "PK\u0003\u0004")) {
            return TorchArchive.read(file, manager);
        }
        // A pickle starts with 0x80, but so may a safetensors header length: test '{' first.
        if (matchesAt(head, 8, "{")) {
            return Safetensors.read(file, manager);
        }
        if (matchesAt(head, 0, "\u0080") || matchesAt(head, TAR_MAGIC_OFFSET, "ustar")) {
            throw new CheckpointException(
                    file,
                    "is in the legacy torch.save format (before torch 1.6), which is not read;"
                            + " re-save it with torch >= 1.6: torch.save(torch.load('"
                            + file.getFileName()
                            + "', map_location='cpu'), 'resaved.pth')");
        }
        throw new CheckpointException(
                file, "is neither a torch.save archive (zip form) nor a safetensors file");
    }

    private static boolean matchesAt(byte[] head, int offset, String magic) {
        byte[] bytes = magic.getBytes(StandardCharsets.ISO_8859_1);
        if (head.length < offset + bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if (head[offset + i] != bytes[i]) {
                return false;
            }
        }
        return true;
    }
}
