package io.tsam.exporter.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import com.google.protobuf.ByteString;
import java.nio.charset.StandardCharsets;

/**
 * Typed node attributes: each factory returns the {@code AttributeProto} of one attribute, so a
 * lowering writes {@code ints("strides", 2, 2)} instead of filling a protobuf builder.
 */
public final class OnnxAttributes {

    private OnnxAttributes() {}

    /** An {@code INT} attribute. */
    public static AttributeProto integer(String name, long value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeType.INT)
                .setI(value)
                .build();
    }

    /** An {@code INTS} attribute. */
    public static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder attribute =
                AttributeProto.newBuilder().setName(name).setType(AttributeType.INTS);
        for (long value : values) {
            attribute.addInts(value);
        }
        return attribute.build();
    }

    /** A {@code FLOAT} attribute. */
    public static AttributeProto floating(String name, float value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeType.FLOAT)
                .setF(value)
                .build();
    }

    /** A {@code STRING} attribute, UTF-8 encoded. */
    public static AttributeProto string(String name, String value) {
        return AttributeProto.newBuilder()
                .setName(name)
                .setType(AttributeType.STRING)
                .setS(ByteString.copyFrom(value, StandardCharsets.UTF_8))
                .build();
    }
}
