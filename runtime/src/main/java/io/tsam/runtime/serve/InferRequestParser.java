package io.tsam.runtime.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an inference protocol v2 request body ({@code {"id", "parameters", "inputs": [{"name",
 * "shape", "datatype", "parameters", "data"}], "outputs": [{"name", "parameters"}]}}) as a stream,
 * straight into float arrays: a JSON tree of a batch of clips would take many times the memory of
 * its numbers. {@code data} may be flat or nested to any depth; it is read in row-major order.
 *
 * <p>With the binary tensor data extension (Triton's {@code binary_tensor_data}), the body is the
 * JSON header of {@code Inference-Header-Content-Length} bytes followed by the raw little-endian
 * values of every input whose {@code parameters.binary_data_size} is given, in input order; such an
 * input has no {@code data}. Inputs in JSON and in binary may be mixed.
 *
 * <p>Only the syntax and the size are checked here; whether the tensors fit the model is {@link
 * InferInputs}' business.
 */
final class InferRequestParser {

    /**
     * One input tensor as sent.
     *
     * @param name the input's name
     * @param datatype the protocol's type name, e.g. {@code FP32}
     * @param shape the dimensions, batch first
     * @param data the values, row-major
     */
    record InputTensor(String name, String datatype, long[] shape, float[] data) {}

    /**
     * An output asked for.
     *
     * @param name the output's name
     * @param binary its {@code parameters.binary_data}, or null when not given
     */
    record RequestedOutput(String name, Boolean binary) {}

    /**
     * A request as sent.
     *
     * @param id the client's request id, echoed in the response, or null
     * @param inputs the input tensors in request order
     * @param outputs the outputs asked for; empty for all
     * @param binaryOutput {@code parameters.binary_data_output}: outputs that do not say otherwise
     *     are answered as binary data
     */
    record InferRequest(
            String id,
            List<InputTensor> inputs,
            List<RequestedOutput> outputs,
            boolean binaryOutput) {

        /** Whether output {@code name} is answered as binary data. */
        boolean binary(String name) {
            return outputs.stream()
                    .filter(o -> o.name().equals(name) && o.binary() != null)
                    .map(RequestedOutput::binary)
                    .findFirst()
                    .orElse(binaryOutput);
        }
    }

    /** An input as its JSON describes it, before any binary data is read. */
    private record Header(String name, String datatype, long[] shape, float[] data, long bytes) {}

    /** The request header field that says the body is JSON followed by binary tensors. */
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private static final String BINARY_SIZE = "binary_data_size";

    private static final JsonFactory JSON =
            new JsonFactory().disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);

    private final long maxValues;

    /**
     * A parser that refuses a {@code data} array of more than {@code maxValues} numbers before
     * reading further.
     */
    InferRequestParser(long maxValues) {
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues must be >= 1, got " + maxValues);
        }
        // A Java array holds at most this many.
        this.maxValues = Math.min(maxValues, Integer.MAX_VALUE - 8);
    }

    /**
     * Reads a request whose body is JSON only.
     *
     * @throws IllegalArgumentException naming what is malformed or missing and where
     * @throws ServeException {@code PAYLOAD_TOO_LARGE} from a {@link BoundedInputStream} body
     */
    InferRequest parse(InputStream body) {
        return parse(body, -1);
    }

    /**
     * Reads a request.
     *
     * @param headerLength the {@value #HEADER_LENGTH} header: the JSON's length in bytes, followed
     *     by binary tensors; -1 when the request has no such header and the body is JSON only
     * @throws IllegalArgumentException naming what is malformed or missing and where
     * @throws ServeException {@code PAYLOAD_TOO_LARGE} from a {@link BoundedInputStream} body
     */
    InferRequest parse(InputStream body, long headerLength) {
        HeaderStream json = headerLength < 0 ? null : new HeaderStream(body, headerLength);
        InferRequest request;
        List<Header> headers = new ArrayList<>();
        try {
            request = parseJson(json == null ? body : json, json != null, headers);
        } catch (IllegalArgumentException e) {
            if (json != null && json.endedEarly()) {
                throw new IllegalArgumentException(shortBody(headerLength, json.consumed()), e);
            }
            if (json != null) {
                throw new IllegalArgumentException(
                        e.getMessage()
                                + " in the JSON header of "
                                + HEADER_LENGTH
                                + " = "
                                + headerLength
                                + " bytes",
                        e);
            }
            throw e;
        }
        if (json != null && json.endedEarly()) {
            throw new IllegalArgumentException(shortBody(headerLength, json.consumed()));
        }
        List<InputTensor> inputs = new ArrayList<>(headers.size());
        for (Header header : headers) {
            float[] data = header.data();
            if (header.bytes() >= 0) {
                data = binary(body, header);
            }
            inputs.add(new InputTensor(header.name(), header.datatype(), header.shape(), data));
        }
        if (json != null) {
            try {
                if (body.read() != -1) {
                    throw new IllegalArgumentException(
                            "the body holds more bytes than the "
                                    + HEADER_LENGTH
                                    + " and the inputs' "
                                    + BINARY_SIZE
                                    + " add up to");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading the request body failed", e);
            }
        }
        return new InferRequest(request.id(), inputs, request.outputs(), request.binaryOutput());
    }

    private static String shortBody(long headerLength, long bodyLength) {
        return HEADER_LENGTH
                + " is "
                + headerLength
                + " bytes but the body ends after "
                + bodyLength
                + " bytes";
    }

    /**
     * The JSON part of a request; the inputs' headers go to {@code headers}.
     *
     * @param binary whether binary data may follow the JSON
     */
    private InferRequest parseJson(InputStream body, boolean binary, List<Header> headers) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(
                        "the request body must be a JSON object with \"inputs\"");
            }
            String id = null;
            boolean inputs = false;
            boolean binaryOutput = false;
            List<RequestedOutput> outputs = List.of();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                switch (field) {
                    case "id" -> id = text(p, "\"id\"");
                    case "inputs" -> {
                        inputs(p, headers);
                        inputs = true;
                    }
                    case "outputs" -> outputs = outputs(p);
                    case "parameters" ->
                            binaryOutput =
                                    Boolean.TRUE.equals(
                                            flag(p, "parameters", "binary_data_output"));
                    // Protocol extensions carry nothing this server uses.
                    default -> p.skipChildren();
                }
            }
            if (!binary) {
                // Checked before what follows the JSON, which would be the binary data.
                for (Header header : headers) {
                    if (header.bytes() >= 0) {
                        throw new IllegalArgumentException(
                                "input '"
                                        + header.name()
                                        + "' has parameters."
                                        + BINARY_SIZE
                                        + " but the request has no "
                                        + HEADER_LENGTH
                                        + " header");
                    }
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException(
                        "malformed JSON: content after the request object " + where(p));
            }
            if (!inputs) {
                throw new IllegalArgumentException("the request has no \"inputs\"");
            }
            return new InferRequest(id, List.of(), outputs, binaryOutput);
        } catch (JsonProcessingException e) {
            // Jackson names the source as "REDACTED": not worth showing.
            String message = e.getOriginalMessage().replaceAll("\\[Source: [^;]*; ", "[");
            throw new IllegalArgumentException(
                    "malformed JSON: " + message + " " + where(e.getLocation()), e);
        } catch (CharConversionException e) {
            // Jackson guesses UTF-8/16/32 from the first bytes; bytes that fit none are a bad
            // request, not a failure to read it.
            throw new IllegalArgumentException(
                    "the request body is not JSON text (UTF-8, UTF-16 or UTF-32): "
                            + e.getMessage(),
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    /** An input's binary values, read from where the body stands. */
    private float[] binary(InputStream body, Header header) {
        String what = "input '" + header.name() + "'";
        long bytes = header.bytes();
        if (!header.datatype().equals(InferInputs.DATATYPE)) {
            // Skipped whole, so that the type is what the client is told about.
            skip(body, bytes, what);
            return new float[0];
        }
        InferInputs.checkBinarySize(what, BINARY_SIZE, bytes, maxValues);
        try {
            byte[] raw = body.readNBytes((int) bytes);
            if (raw.length < bytes) {
                throw new IllegalArgumentException(
                        "the body ends "
                                + raw.length
                                + " bytes into the "
                                + bytes
                                + " bytes of "
                                + what
                                + "'s binary data");
            }
            float[] values = new float[raw.length / Float.BYTES];
            ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    private static void skip(InputStream body, long bytes, String what) {
        try {
            body.skipNBytes(bytes);
        } catch (EOFException e) {
            throw new IllegalArgumentException(
                    "the body ends inside the " + bytes + " bytes of " + what + "'s binary data",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the request body failed", e);
        }
    }

    private void inputs(JsonParser p, List<Header> headers) throws IOException {
        expect(p, JsonToken.START_ARRAY, "\"inputs\" must be an array of tensors");
        while (p.nextToken() != JsonToken.END_ARRAY) {
            headers.add(input(p, "inputs[" + headers.size() + "]"));
        }
    }

    private Header input(JsonParser p, String where) throws IOException {
        expect(p, JsonToken.START_OBJECT, where + " must be an object");
        String name = null;
        String datatype = null;
        long[] shape = null;
        float[] data = null;
        long bytes = -1;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            switch (field) {
                case "name" -> name = text(p, where + ".name");
                case "datatype" -> datatype = text(p, where + ".datatype");
                case "shape" -> shape = shape(p, where);
                case "data" -> data = data(p, where);
                case "parameters" -> bytes = binarySize(p, where);
                default -> p.skipChildren();
            }
        }
        String named = where + (name == null ? "" : " ('" + name + "')");
        if (data != null && bytes >= 0) {
            throw new IllegalArgumentException(
                    named + " has both data and parameters." + BINARY_SIZE + "; send one");
        }
        if (bytes >= 0) {
            data = new float[0];
        }
        if (name == null || datatype == null || shape == null || data == null) {
            List<String> missing = new ArrayList<>();
            if (name == null) {
                missing.add("name");
            }
            if (datatype == null) {
                missing.add("datatype");
            }
            if (shape == null) {
                missing.add("shape");
            }
            if (data == null) {
                missing.add("data");
            }
            throw new IllegalArgumentException(named + " has no " + missing);
        }
        return new Header(name, datatype, shape, data, bytes);
    }

    /** An input's {@code parameters.binary_data_size}, or -1 when not given. */
    private static long binarySize(JsonParser p, String where) throws IOException {
        String what = where + ".parameters";
        expect(p, JsonToken.START_OBJECT, what + " must be an object");
        long bytes = -1;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            if (field.equals(BINARY_SIZE)) {
                if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getLongValue() < 0) {
                    throw new IllegalArgumentException(
                            what
                                    + "."
                                    + BINARY_SIZE
                                    + " must be a byte count (an integer >= 0), found "
                                    + describe(p));
                }
                bytes = p.getLongValue();
            } else {
                p.skipChildren();
            }
        }
        return bytes;
    }

    /** A boolean member of a {@code parameters} object; null when absent. */
    private static Boolean flag(JsonParser p, String where, String name) throws IOException {
        expect(p, JsonToken.START_OBJECT, where + " must be an object");
        Boolean value = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            if (field.equals(name)) {
                if (!p.currentToken().isBoolean()) {
                    throw new IllegalArgumentException(
                            where + "." + name + " must be true or false, found " + describe(p));
                }
                value = p.getBooleanValue();
            } else {
                p.skipChildren();
            }
        }
        return value;
    }

    private static long[] shape(JsonParser p, String where) throws IOException {
        expect(p, JsonToken.START_ARRAY, where + ".shape must be an array of integers");
        long[] dims = new long[8];
        int rank = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
                throw new IllegalArgumentException(
                        where + ".shape must hold integers, found " + p.getText());
            }
            if (rank == dims.length) {
                dims = Arrays.copyOf(dims, rank * 2);
            }
            dims[rank++] = p.getLongValue();
        }
        return Arrays.copyOf(dims, rank);
    }

    private float[] data(JsonParser p, String where) throws IOException {
        expect(p, JsonToken.START_ARRAY, where + ".data must be an array of numbers");
        float[] values = new float[1024];
        int size = 0;
        int depth = 0;
        JsonToken token = p.currentToken();
        while (true) {
            switch (token) {
                case START_ARRAY -> depth++;
                case END_ARRAY -> depth--;
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                    if (size == maxValues) {
                        throw new IllegalArgumentException(
                                where
                                        + ".data holds more than "
                                        + maxValues
                                        + " values, the most one request of this model may send"
                                        + " (--max-batch samples)");
                    }
                    if (size == values.length) {
                        values = Arrays.copyOf(values, (int) Math.min(maxValues, 2L * size));
                    }
                    values[size++] = p.getFloatValue();
                }
                default ->
                        throw new IllegalArgumentException(
                                where
                                        + ".data must hold only numbers, found "
                                        + describe(p)
                                        + " after "
                                        + size
                                        + " values");
            }
            if (depth == 0) {
                return Arrays.copyOf(values, size);
            }
            token = p.nextToken();
        }
    }

    private static List<RequestedOutput> outputs(JsonParser p) throws IOException {
        expect(p, JsonToken.START_ARRAY, "\"outputs\" must be an array of {\"name\"} objects");
        List<RequestedOutput> outputs = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String where = "outputs[" + outputs.size() + "]";
            expect(p, JsonToken.START_OBJECT, where + " must be an object");
            String name = null;
            Boolean binary = null;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                switch (field) {
                    case "name" -> name = text(p, where + ".name");
                    // Absent and false differ: false overrides binary_data_output.
                    case "parameters" -> binary = flag(p, where + ".parameters", "binary_data");
                    default -> p.skipChildren();
                }
            }
            if (name == null) {
                throw new IllegalArgumentException(where + " has no name");
            }
            outputs.add(new RequestedOutput(name, binary));
        }
        return outputs;
    }

    private static String text(JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw new IllegalArgumentException(what + " must be a string, found " + describe(p));
        }
        return p.getText();
    }

    private static void expect(JsonParser p, JsonToken token, String message) {
        if (p.currentToken() != token) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String describe(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        return switch (token) {
            case VALUE_STRING -> "the string \"" + abbreviate(p.getText()) + "\"";
            case VALUE_TRUE, VALUE_FALSE -> "the boolean " + p.getText();
            case VALUE_NULL -> "null";
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            default -> p.getText();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /**
     * The JSON header of a binary request: ends after its declared length, leaving the binary
     * tensors in the body, and remembers whether the body ended first.
     */
    private static final class HeaderStream extends FilterInputStream {
        private final long length;
        private long read;
        private boolean endedEarly;

        HeaderStream(InputStream body, long length) {
            super(body);
            this.length = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (read == length) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, length - read));
            if (n < 0) {
                endedEarly = true;
                return -1;
            }
            read += n;
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            // FilterInputStream would skip in the body, past the header's end.
            byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            int skipped = read(scratch, 0, scratch.length);
            return Math.max(skipped, 0);
        }

        @Override
        public int available() {
            return 0;
        }

        @Override
        public void close() {
            // The body goes on after the header.
        }

        long consumed() {
            return read;
        }

        boolean endedEarly() {
            return endedEarly;
        }
    }

    private static String where(JsonParser p) {
        return where(p.currentLocation());
    }

    private static String where(JsonLocation location) {
        return location == null
                ? ""
                : "(line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
