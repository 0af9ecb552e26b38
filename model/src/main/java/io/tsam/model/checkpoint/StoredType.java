package io.tsam.model.checkpoint;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * An element type as stored in a weights file, with its names in torch.save pickles and in
 * safetensors headers. Floating types are read as float32 and integer types (bool included) as
 * int64, so that callers see only the two types our networks use.
 */
enum StoredType {
    FLOAT64(8, true, "F64", "DoubleStorage"),
    FLOAT32(4, true, "F32", "FloatStorage"),
    FLOAT16(2, true, "F16", "HalfStorage"),
    BFLOAT16(2, true, "BF16", "BFloat16Storage"),
    INT64(8, false, "I64", "LongStorage"),
    INT32(4, false, "I32", "IntStorage"),
    INT16(2, false, "I16", "ShortStorage"),
    INT8(1, false, "I8", "CharStorage"),
    UINT8(1, false, "U8", "ByteStorage"),
    BOOL(1, false, "BOOL", "BoolStorage");

    private final int bytes;
    private final boolean floating;
    private final String safetensorsName;
    private final String torchStorageName;

    StoredType(int bytes, boolean floating, String safetensorsName, String torchStorageName) {
        this.bytes = bytes;
        this.floating = floating;
        this.safetensorsName = safetensorsName;
        this.torchStorageName = torchStorageName;
    }

    /** Bytes per element. */
    int bytes() {
        return bytes;
    }

    /** Whether the elements are read as float32 (otherwise as int64). */
    boolean isFloating() {
        return floating;
    }

    /** The dtype name in a safetensors header, e.g. {@code F32}. */
    String safetensorsName() {
        return safetensorsName;
    }

    /** The type of a safetensors dtype name. */
    static Optional<StoredType> ofSafetensors(String name) {
        return Arrays.stream(values()).filter(t -> t.safetensorsName.equals(name)).findFirst();
    }

    /** The type of a storage class of module {@code torch}, e.g. {@code FloatStorage}. */
    static Optional<StoredType> ofTorchStorage(String name) {
        return Arrays.stream(values()).filter(t -> t.torchStorageName.equals(name)).findFirst();
    }

    /** The safetensors names of every type, for error messages. */
    static String safetensorsNames() {
        return String.join(", ", Arrays.stream(values()).map(StoredType::safetensorsName).toList());
    }

    /**
     * Element {@code index} of a floating storage, exactly as float32 where it is representable.
     */
    float readFloat(ByteBuffer data, int index) {
        int at = index * bytes;
        return switch (this) {
            case FLOAT64 -> (float) data.getDouble(at);
            case FLOAT32 -> data.getFloat(at);
            case FLOAT16 -> halfToFloat(data.getShort(at));
            case BFLOAT16 -> Float.intBitsToFloat((data.getShort(at) & 0xffff) << 16);
            default -> throw new IllegalStateException(this + " is not a floating type");
        };
    }

    /** Element {@code index} of an integer storage; booleans read as 0 or 1. */
    long readLong(ByteBuffer data, int index) {
        int at = index * bytes;
        return switch (this) {
            case INT64 -> data.getLong(at);
            case INT32 -> data.getInt(at);
            case INT16 -> data.getShort(at);
            case INT8 -> data.get(at);
            case UINT8 -> data.get(at) & 0xff;
            case BOOL -> data.get(at) != 0 ? 1 : 0;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }

    /** IEEE 754 binary16 to binary32; every half value is exactly representable as a float. */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24, exact in float.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // Re-bias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
