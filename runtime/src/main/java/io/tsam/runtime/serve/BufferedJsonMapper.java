package io.tsam.runtime.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.Type;

/**
 * Writes answers to JSON with Jackson, in memory, on the request's thread. Javalin's own Jackson
 * mapper streams every answer through a pipe that another thread fills, a hand-off that costs more
 * than writing these small bodies does. Reading JSON is not needed: request bodies are streamed by
 * {@link InferRequestParser}.
 */
final class BufferedJsonMapper implements io.javalin.json.JsonMapper {

    private final ObjectMapper mapper = JsonMapper.builder().build();

    @Override
    public String toJsonString(Object obj, Type type) {
        try {
            return mapper.writeValueAsString(obj);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + type + " as JSON", e);
        }
    }

    @Override
    public InputStream toJsonStream(Object obj, Type type) {
        try {
            return new ByteArrayInputStream(mapper.writeValueAsBytes(obj));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + type + " as JSON", e);
        }
    }
}
