package io.tsam.media.io;

import io.tsam.common.io.AtomicFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes float32 tensors in numpy's {@code .npy} format (version 1.0, little-endian, C
 * order), so any tool can open what the pipeline produced.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    /** A Java array holds a little less than 2^31 values. */
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {}

    /** A float32 tensor: row-major {@code data} of the given {@code shape}. */
    public record Array(long[] shape, float[] data) {
        public Array {
            long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            if (n != data.length) {
                throw new IllegalArgumentException(
                        "shape "
                                + Arrays.toString(shape)
                                + " holds "
                                + n
                                + " values, data has "
                                + data.length);
            }
        }
    }

    /** Writes {@code data} with {@code shape} to {@code file} atomically. */
    public static void write(Path file, float[] data, long... shape) throws IOException {
        Array array = new Array(shape, data);
        StringBuilder dims = new StringBuilder();
        for (long d : array.shape()) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + trimComma(dims) + ")";
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shapeText + ", }";
        // numpy pads the header with spaces so that the data starts on a 64-byte boundary.
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(padding) + "\n";
        ByteBuffer buf =
                ByteBuffer.allocate(MAGIC.length + 4 + header.length() + 4 * data.length)
                        .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        buf.asFloatBuffer().put(data);
        AtomicFile.write(file, buf.array());
    }

    /**
     * Reads a little-endian float32 C-order {@code .npy} file.
     *
     * @throws IOException naming the file when it cannot be read or is not such an array
     */
    public static Array read(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        if (buf.remaining() < 10 || !Arrays.equals(readInto(buf, magic), MAGIC)) {
            throw new IOException(file + ": not a .npy file");
        }
        int major = buf.get();
        buf.get();
        if (major < 1 || major > 3) {
            throw new IOException(file + ": .npy format version " + major + " is not 1, 2 or 3");
        }
        if (major > 1 && buf.remaining() < 4) {
            throw new IOException(file + ": the .npy header is cut short");
        }
        long headerLength =
                major == 1
                        ? Short.toUnsignedInt(buf.getShort())
                        : Integer.toUnsignedLong(buf.getInt());
        if (headerLength > buf.remaining()) {
            throw new IOException(
                    file
                            + ": the .npy header claims "
                            + headerLength
                            + " bytes, the file is shorter");
        }
        byte[] headerBytes = new byte[(int) headerLength];
        buf.get(headerBytes);
        String header = new String(headerBytes, StandardCharsets.US_ASCII);
        String descr = find(DESCR, header, file, "descr");
        if (!descr.equals("<f4")) {
            throw new IOException(file + ": dtype " + descr + " is not float32 ('<f4')");
        }
        if (find(ORDER, header, file, "fortran_order").equals("True")) {
            throw new IOException(file + ": Fortran-ordered arrays are not supported");
        }
        long[] shape = shape(find(SHAPE, header, file, "shape"), file);
        long count = 1;
        for (long dim : shape) {
            count = Math.multiplyExact(count, dim);
            if (count > MAX_VALUES) {
                throw new IOException(
                        file + ": shape " + Arrays.toString(shape) + " holds too many values");
            }
        }
        if (count * 4 != buf.remaining()) {
            throw new IOException(
                    file + ": expected " + count * 4 + " data bytes, found " + buf.remaining());
        }
        float[] data = new float[(int) count];
        buf.asFloatBuffer().get(data);
        return new Array(shape, data);
    }

    /** The dimensions of a shape tuple such as {@code 1, 8, 3, 224, 224} (or {@code 3,}). */
    private static long[] shape(String tuple, Path file) throws IOException {
        String[] parts = tuple.split(",", -1);
        long[] dims = new long[parts.length];
        int n = 0;
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty() && i == parts.length - 1) {
                continue; // the trailing comma of a 1-tuple or of Python's repr
            }
            try {
                dims[n] = Long.parseLong(part);
            } catch (NumberFormatException e) {
                dims[n] = -1;
            }
            if (dims[n] < 0 || !part.chars().allMatch(Character::isDigit)) {
                throw new IOException(
                        file + ": .npy shape (" + tuple + ") is not a tuple of sizes");
            }
            n++;
        }
        return Arrays.copyOf(dims, n);
    }

    private static String find(Pattern p, String header, Path file, String key) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(file + ": .npy header has no '" + key + "'");
        }
        return m.group(1);
    }

    private static byte[] readInto(ByteBuffer buf, byte[] dst) {
        buf.get(dst);
        return dst;
    }

    private static String trimComma(StringBuilder dims) {
        return dims.substring(0, dims.length() - 2);
    }
}
