package io.tsam.runtime.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads an inference protocol v2 request body ({@code {"id", "parameters", "inputs": [{"name",
 * "shape", "datatype", "parameters", "data"}], "outputs": [{"name"}]}}) as a stream, straight into
 * float arrays: a JSON tree of a batch of clips would take many times the memory of its numbers.
 * {@code data} may be flat or nested to any depth; it is read in row-major order.
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
     * A request as sent.
     *
     * @param id the client's request id, echoed in the response, or null
     * @param inputs the input tensors in request order
     * @param outputs the names of the outputs asked for; empty for all
     */
    record InferRequest(String id, List<InputTensor> inputs, List<String> outputs) {}

    private static final JsonFactory JSON = new JsonFactory();

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
     * Reads a request.
     *
     * @throws IllegalArgumentException naming what is malformed or missing and where
     * @throws ServeException {@code PAYLOAD_TOO_LARGE} from a {@link BoundedInputStream} body
     */
    InferRequest parse(InputStream body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException(
                        "the request body must be a JSON object with \"inputs\"");
            }
            String id = null;
            List<InputTensor> inputs = null;
            List<String> outputs = List.of();
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                switch (field) {
                    case "id" -> id = text(p, "\"id\"");
                    case "inputs" -> inputs = inputs(p);
                    case "outputs" -> outputs = outputs(p);
                    // "parameters" and protocol extensions carry nothing this server uses.
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new IllegalArgumentException(
                        "malformed JSON: content after the request object " + where(p));
            }
            if (inputs == null) {
                throw new IllegalArgumentException("the request has no \"inputs\"");
            }
            return new InferRequest(id, inputs, outputs);
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

    private List<InputTensor> inputs(JsonParser p) throws IOException {
        expect(p, JsonToken.START_ARRAY, "\"inputs\" must be an array of tensors");
        List<InputTensor> inputs = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            inputs.add(input(p, "inputs[" + inputs.size() + "]"));
        }
        return inputs;
    }

    private InputTensor input(JsonParser p, String where) throws IOException {
        expect(p, JsonToken.START_OBJECT, where + " must be an object");
        String name = null;
        String datatype = null;
        long[] shape = null;
        float[] data = null;
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            switch (field) {
                case "name" -> name = text(p, where + ".name");
                case "datatype" -> datatype = text(p, where + ".datatype");
                case "shape" -> shape = shape(p, where);
                case "data" -> data = data(p, where);
                default -> p.skipChildren();
            }
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
            throw new IllegalArgumentException(
                    where + (name == null ? "" : " ('" + name + "')") + " has no " + missing);
        }
        return new InputTensor(name, datatype, shape, data);
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

    private static List<String> outputs(JsonParser p) throws IOException {
        expect(p, JsonToken.START_ARRAY, "\"outputs\" must be an array of {\"name\"} objects");
        List<String> names = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            String where = "outputs[" + names.size() + "]";
            expect(p, JsonToken.START_OBJECT, where + " must be an object");
            String name = null;
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                p.nextToken();
                if (field.equals("name")) {
                    name = text(p, where + ".name");
                } else {
                    p.skipChildren();
                }
            }
            if (name == null) {
                throw new IllegalArgumentException(where + " has no name");
            }
            names.add(name);
        }
        return names;
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

    private static String where(JsonParser p) {
        return where(p.currentLocation());
    }

    private static String where(JsonLocation location) {
        return location == null
                ? ""
                : "(line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    }
}
