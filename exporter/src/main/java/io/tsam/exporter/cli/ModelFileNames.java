package io.tsam.exporter.cli;

import java.nio.file.Path;

/** The files written beside the exported model, named after it: {@code model.onnx} is the stem. */
final class ModelFileNames {

    private static final String ONNX_EXTENSION = ".onnx";

    private ModelFileNames() {}

    /** The model file's name without {@code .onnx}, e.g. {@code model}. */
    static String stem(Path model) {
        String name = model.getFileName().toString();
        return name.endsWith(ONNX_EXTENSION)
                ? name.substring(0, name.length() - ONNX_EXTENSION.length())
                : name;
    }

    /**
     * The file beside {@code model} with {@code suffix} after its stem, e.g. {@code .int8.onnx}.
     */
    static Path beside(Path model, String suffix) {
        return model.resolveSibling(stem(model) + suffix);
    }
}
