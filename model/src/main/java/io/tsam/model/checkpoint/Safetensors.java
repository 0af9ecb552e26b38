package io.tsam.model.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tsam.common.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads and writes safetensors files: an 8-byte little-endian header length, a JSON header mapping
 * each name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the
 * end of the header; an optional {@code "__metadata__"} object of strings), then the packed
 * little-endian data.
 *
 * <p>DJL's {@code NDList.decode}/{@code encode} also speak this format, and their round trip keeps
 * names, dtypes (int64 included) and shapes, but this class does not use them: decoding a BF16
 * tensor (common in ImageNet-21k weights) makes libtorch abort the whole JVM ("terminate called
 * without an active exception") where no exception can be caught; encoding writes the header from a
 * hash map, so the file's order is not the state dict's, and takes names from {@code
 * NDArray.setName}, which would rename the caller's (parameter) arrays.
 */
public final class Safetensors {
    private static final String METADATA = "__metadata__";

    /** Far above any real header (about 100 bytes per tensor); guards against a corrupt length. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private static final ObjectMapper JSON =
            JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private Safetensors() {}

    /**
     * Reads every tensor of a safetensors file, in header order, under its stored name: F64, F32,
     * F16 and BF16 as float32 (exact, except F64's rounding), I64, I32, I16, I8, U8 and BOOL as
     * int64. The arrays belong to {@code manager}.
     *
     * @throws CheckpointException if the file cannot be read, is not a valid safetensors file or
     *     holds another dtype
     */
    public static LinkedHashMap<String, NDArray> read(Path file, NDManager manager) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            ByteBuffer prefix = readFully(channel, 0, 8, file);
            long headerLength = prefix.order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (headerLength < 2 || headerLength > Math.min(MAX_HEADER_BYTES, size - 8)) {
                throw new CheckpointException(
                        file,
                        "not a safetensors file: header length "
                                + headerLength
                                + " does not fit a file of "
                                + size
                                + " bytes");
            }
            ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength, file);
            JsonNode header = parseHeader(file, headerBytes.array());
            return readTensors(file, channel, 8 + headerLength, header, manager);
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + e, e);
        }
    }

    /**
     * Writes {@code tensors} to {@code file} atomically, in map order: floating arrays as F32,
     * integer and boolean arrays as I64. The arrays are only read.
     *
     * @throws IllegalArgumentException if a name is empty or {@code __metadata__}, or an array has
     *     another type
     */
    public static void write(Path file, Map<String, NDArray> tensors) throws IOException {
        AtomicFile.write(file, tmp -> writeTo(tmp, tensors));
    }

    /** Writes {@code tensors} to {@code target} in place; see {@link #write}. */
    static void writeTo(Path target, Map<String, NDArray> tensors) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject(METADATA).put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, NDArray> entry : tensors.entrySet()) {
            String name = entry.getKey();
            if (name.isEmpty() || name.equals(METADATA)) {
                throw new IllegalArgumentException(
                        "tensor name '" + name + "' is not allowed in a safetensors file");
            }
            NDArray array = entry.getValue();
            StoredType type = storedType(name, array.getDataType());
            long end = offset + array.size() * type.bytes();
            ObjectNode info = header.putObject(name);
            info.put("dtype", type.safetensorsName());
            ArrayNode shape = info.putArray("shape");
            Arrays.stream(array.getShape().getShape()).forEach(shape::add);
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        // Spaces pad the header so the data starts 8-byte aligned, as the reference writer does.
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        try (FileChannel channel =
                FileChannel.open(
                        target,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
            writeFully(channel, head.flip());
            for (NDArray array : tensors.values()) {
                writeFully(channel, littleEndianData(array));
            }
        }
    }

    private static StoredType storedType(String name, DataType type) {
        if (type.isFloating()) {
            return StoredType.FLOAT32;
        } else if (type.isInteger() || type == DataType.BOOLEAN) {
            return StoredType.INT64;
        }
        throw new IllegalArgumentException(
                "tensor '" + name + "' has type " + type + "; expected a floating or integer type");
    }

    /** The array's values as packed little-endian float32 or int64. */
    private static ByteBuffer littleEndianData(NDArray array) {
        DataType wanted = array.getDataType().isFloating() ? DataType.FLOAT32 : DataType.INT64;
        if (array.getDataType() != wanted) {
            try (NDManager scope = array.getManager().newSubManager()) {
                NDArray converted = array.toType(wanted, true);
                converted.attach(scope);
                return littleEndianData(converted);
            }
        }
        if (wanted == DataType.FLOAT32) {
            float[] values = array.toFloatArray();
            ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            data.asFloatBuffer().put(values);
            return data;
        }
        long[] values = array.toLongArray();
        ByteBuffer data = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        data.asLongBuffer().put(values);
        return data;
    }

    private static JsonNode parseHeader(Path file, byte[] bytes) {
        JsonNode header;
        try {
            header = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new CheckpointException(
                    file, "not a safetensors file: its header is not JSON: " + message(e), e);
        }
        if (header == null || !header.isObject()) {
            throw new CheckpointException(
                    file, "not a safetensors file: its header is not a JSON object");
        }
        return header;
    }

    private static LinkedHashMap<String, NDArray> readTensors(
            Path file, FileChannel channel, long dataStart, JsonNode header, NDManager manager)
            throws IOException {
        long dataLength = channel.size() - dataStart;
        LinkedHashMap<String, NDArray> tensors = new LinkedHashMap<>();
        try (NDManager scope = manager.newSubManager()) {
            Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                if (name.equals(METADATA)) {
                    continue;
                }
                TensorInfo info = TensorInfo.parse(file, name, field.getValue(), dataLength);
                ByteBuffer data =
                        readFully(channel, dataStart + info.begin(), (int) info.length(), file)
                                .order(ByteOrder.LITTLE_ENDIAN);
                tensors.put(
                        name,
                        StridedTensor.contiguous(info.type(), data, info.shape()).read(scope));
            }
            // Only a complete result leaves the scope; on failure the scope frees what was read.
            tensors.values().forEach(array -> array.attach(manager));
        }
        return tensors;
    }

    /** One header entry, checked against the data section. */
    private record TensorInfo(StoredType type, long[] shape, long begin, long length) {
        static TensorInfo parse(Path file, String name, JsonNode node, long dataLength) {
            JsonNode dtype = node.get("dtype");
            JsonNode shapeNode = node.get("shape");
            JsonNode offsets = node.get("data_offsets");
            if (dtype == null
                    || !dtype.isTextual()
                    || shapeNode == null
                    || !shapeNode.isArray()
                    || offsets == null
                    || !offsets.isArray()
                    || offsets.size() != 2) {
                throw bad(file, name, "needs \"dtype\", \"shape\" and two \"data_offsets\"");
            }
            StoredType type =
                    StoredType.ofSafetensors(dtype.asText())
                            .orElseThrow(
                                    () ->
                                            bad(
                                                    file,
                                                    name,
                                                    "has dtype "
                                                            + dtype.asText()
                                                            + "; supported: "
                                                            + StoredType.safetensorsNames()));
            long[] shape = new long[shapeNode.size()];
            long count = 1;
            for (int d = 0; d < shape.length; d++) {
                JsonNode dim = shapeNode.get(d);
                if (!dim.canConvertToExactIntegral() || dim.asLong() < 0) {
                    throw bad(file, name, "has a shape that is not a list of sizes: " + shapeNode);
                }
                shape[d] = dim.asLong();
                count = Math.multiplyExact(count, shape[d]);
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            long length = count * type.bytes();
            if (begin < 0 || end > dataLength || end - begin != length) {
                throw bad(
                        file,
                        name,
                        "has data_offsets "
                                + offsets
                                + " that do not hold "
                                + count
                                + " "
                                + type.safetensorsName()
                                + " elements inside a data section of "
                                + dataLength
                                + " bytes");
            }
            if (length > Integer.MAX_VALUE) {
                throw bad(file, name, "is too large to read (" + length + " bytes)");
            }
            return new TensorInfo(type, shape, begin, length);
        }

        private static CheckpointException bad(Path file, String name, String reason) {
            return new CheckpointException(file, "tensor '" + name + "' " + reason);
        }
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length, Path file)
            throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new CheckpointException(
                        file, "ends early: expected " + length + " bytes at offset " + position);
            }
        }
        return buffer.flip();
    }

    private static void writeFully(FileChannel channel, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            channel.write(data);
        }
    }

    private static String message(IOException e) {
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
    }
}
