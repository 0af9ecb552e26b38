package io.tsam.exporter.triton;

import java.nio.file.Path;

/**
 * A model written into a Triton model repository.
 *
 * @param directory the model folder, {@code <repository>/<name>}
 * @param configFile its {@code config.pbtxt}
 * @param modelFile the model of version 1, {@code model.onnx} or {@code model.plan}
 * @param labelsFile its {@code labels.txt}
 * @param config what {@code config.pbtxt} says
 */
public record TritonModel(
        Path directory, Path configFile, Path modelFile, Path labelsFile, TritonConfig config) {}
