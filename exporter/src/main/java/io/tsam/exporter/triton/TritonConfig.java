package io.tsam.exporter.triton;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The {@code config.pbtxt} of a Triton model: a batching model (inputs and output lose their
 * leading {@code N}, which Triton adds), float32 tensors, the output's labels from a file, dynamic
 * batching and one instance on the GPU or the CPU; {@code parameters} carry the model's metadata.
 *
 * @param name the model name, also its folder in the repository
 * @param platform the backend
 * @param maxBatchSize the largest batch Triton forms, at least 1
 * @param inputs the inputs, in the model's order
 * @param output the output
 * @param labelFile the output's label file in the model folder, one label a line
 * @param preferredBatchSizes the batch sizes the dynamic batcher tries to form; may be empty
 * @param maxQueueDelayMicros how long a request may wait for others to fill a batch
 * @param gpu one instance on the GPU ({@code KIND_GPU}), else on the CPU ({@code KIND_CPU})
 * @param parameters string parameters, in order
 */
public record TritonConfig(
        String name,
        TritonPlatform platform,
        int maxBatchSize,
        List<TritonTensor> inputs,
        TritonTensor output,
        String labelFile,
        List<Integer> preferredBatchSizes,
        long maxQueueDelayMicros,
        boolean gpu,
        Map<String, String> parameters) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

    /**
     * Copies the collections and checks the values.
     *
     * @throws IllegalArgumentException naming the value otherwise
     */
    public TritonConfig {
        checkName(name);
        Objects.requireNonNull(platform, "platform");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(labelFile, "labelFile");
        inputs = List.copyOf(inputs);
        preferredBatchSizes = List.copyOf(preferredBatchSizes);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("a Triton model needs at least one input");
        }
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException("max_batch_size must be >= 1, got " + maxBatchSize);
        }
        for (int size : preferredBatchSizes) {
            if (size < 1 || size > maxBatchSize) {
                throw new IllegalArgumentException(
                        "preferred batch sizes must be in [1, max_batch_size="
                                + maxBatchSize
                                + "], got "
                                + preferredBatchSizes);
            }
        }
        if (maxQueueDelayMicros < 0) {
            throw new IllegalArgumentException(
                    "max_queue_delay_microseconds must be >= 0, got " + maxQueueDelayMicros);
        }
    }

    /**
     * Checks a model name: letters, digits, {@code _ . -}, and not {@code .} or {@code ..}, so that
     * it is a safe folder name on every system.
     *
     * @throws IllegalArgumentException naming the value and what is allowed
     */
    public static String checkName(String name) {
        if (name == null
                || !NAME.matcher(name).matches()
                || name.equals(".")
                || name.equals("..")) {
            throw new IllegalArgumentException(
                    "a Triton model name must be letters, digits, '_', '.' and '-' (not '.' or"
                            + " '..'), got '"
                            + name
                            + "'");
        }
        return name;
    }

    /** The {@code config.pbtxt} text, in protobuf text format. */
    public String toPbtxt() {
        StringBuilder text = new StringBuilder();
        text.append("name: ").append(quote(name)).append('\n');
        text.append("platform: ").append(quote(platform.configName())).append('\n');
        text.append("max_batch_size: ").append(maxBatchSize).append('\n');
        text.append("input [\n");
        for (int i = 0; i < inputs.size(); i++) {
            tensor(text, inputs.get(i), null);
            text.append(i + 1 < inputs.size() ? "  },\n" : "  }\n");
        }
        text.append("]\n");
        text.append("output [\n");
        tensor(text, output, labelFile);
        text.append("  }\n");
        text.append("]\n");
        text.append("dynamic_batching {\n");
        if (!preferredBatchSizes.isEmpty()) {
            text.append("  preferred_batch_size: ").append(list(preferredBatchSizes)).append('\n');
        }
        text.append("  max_queue_delay_microseconds: ").append(maxQueueDelayMicros).append('\n');
        text.append("}\n");
        text.append("instance_group [\n");
        text.append("  {\n");
        text.append("    count: 1\n");
        text.append("    kind: ").append(gpu ? "KIND_GPU" : "KIND_CPU").append('\n');
        text.append("  }\n");
        text.append("]\n");
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            text.append("parameters {\n");
            text.append("  key: ").append(quote(parameter.getKey())).append('\n');
            text.append("  value: { string_value: ")
                    .append(quote(parameter.getValue()))
                    .append(" }\n");
            text.append("}\n");
        }
        return text.toString();
    }

    private static void tensor(StringBuilder text, TritonTensor tensor, String labels) {
        text.append("  {\n");
        text.append("    name: ").append(quote(tensor.name())).append('\n');
        text.append("    data_type: TYPE_FP32\n");
        text.append("    dims: ").append(list(tensor.dims())).append('\n');
        if (labels != null) {
            text.append("    label_filename: ").append(quote(labels)).append('\n');
        }
    }

    private static String list(List<? extends Number> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(", ", "[ ", " ]"));
    }

    /**
     * A protobuf text-format string literal: quotes, backslashes and control characters escaped;
     * other characters, UTF-8 included, as they are.
     */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\%03o", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
