package io.tsam.exporter.triton;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code config.pbtxt} text, against golden strings written out here. */
class TritonConfigTest {

    private static final TritonTensor VIDEO =
            new TritonTensor("video", List.of(8L, 3L, 224L, 224L));
    private static final TritonTensor AUDIO = new TritonTensor("audio", List.of(3L, 224L, 224L));
    private static final TritonTensor LOGITS = new TritonTensor("logits", List.of(400L));

    @Test
    void anAudioOnnxModelOnTheCpu() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("tsam.format_version", "1");
        parameters.put("tsam.labels", "[\"a \\\"b\\\"\",\"c\"]");
        TritonConfig config =
                new TritonConfig(
                        "tsam_r50",
                        TritonPlatform.ONNXRUNTIME_ONNX,
                        8,
                        List.of(VIDEO, AUDIO),
                        LOGITS,
                        "labels.txt",
                        List.of(4, 8),
                        100,
                        false,
                        parameters);

        String expected =
                String.join(
                        "\n",
                        "name: \"tsam_r50\"",
                        "platform: \"onnxruntime_onnx\"",
                        "max_batch_size: 8",
                        "input [",
                        "  {",
                        "    name: \"video\"",
                        "    data_type: TYPE_FP32",
                        "    dims: [ 8, 3, 224, 224 ]",
                        "  },",
                        "  {",
                        "    name: \"audio\"",
                        "    data_type: TYPE_FP32",
                        "    dims: [ 3, 224, 224 ]",
                        "  }",
                        "]",
                        "output [",
                        "  {",
                        "    name: \"logits\"",
                        "    data_type: TYPE_FP32",
                        "    dims: [ 400 ]",
                        "    label_filename: \"labels.txt\"",
                        "  }",
                        "]",
                        "dynamic_batching {",
                        "  preferred_batch_size: [ 4, 8 ]",
                        "  max_queue_delay_microseconds: 100",
                        "}",
                        "instance_group [",
                        "  {",
                        "    count: 1",
                        "    kind: KIND_CPU",
                        "  }",
                        "]",
                        "parameters {",
                        "  key: \"tsam.format_version\"",
                        "  value: { string_value: \"1\" }",
                        "}",
                        "parameters {",
                        "  key: \"tsam.labels\"",
                        "  value: { string_value: \"[\\\"a \\\\\\\"b\\\\\\\"\\\",\\\"c\\\"]\" }",
                        "}",
                        "");
        assertEquals(expected, config.toPbtxt());
    }

    @Test
    void aVideoOnlyPlanOnTheGpuWithoutPreferredSizes() {
        TritonConfig config =
                new TritonConfig(
                        "tsn",
                        TritonPlatform.TENSORRT_PLAN,
                        1,
                        List.of(VIDEO),
                        LOGITS,
                        "labels.txt",
                        List.of(),
                        0,
                        true,
                        Map.of());

        String expected =
                String.join(
                        "\n",
                        "name: \"tsn\"",
                        "platform: \"tensorrt_plan\"",
                        "max_batch_size: 1",
                        "input [",
                        "  {",
                        "    name: \"video\"",
                        "    data_type: TYPE_FP32",
                        "    dims: [ 8, 3, 224, 224 ]",
                        "  }",
                        "]",
                        "output [",
                        "  {",
                        "    name: \"logits\"",
                        "    data_type: TYPE_FP32",
                        "    dims: [ 400 ]",
                        "    label_filename: \"labels.txt\"",
                        "  }",
                        "]",
                        "dynamic_batching {",
                        "  max_queue_delay_microseconds: 0",
                        "}",
                        "instance_group [",
                        "  {",
                        "    count: 1",
                        "    kind: KIND_GPU",
                        "  }",
                        "]",
                        "");
        assertEquals(expected, config.toPbtxt());
    }

    @Test
    void stringsAreEscapedForTheTextFormat() {
        assertEquals("\"plain\"", TritonConfig.quote("plain"));
        assertEquals("\"a\\\"b\\\\c\"", TritonConfig.quote("a\"b\\c"));
        assertEquals("\"{\\n  \\\"k\\\": 1\\n}\"", TritonConfig.quote("{\n  \"k\": 1\n}"));
        assertEquals("\"tab\\there\\001\"", TritonConfig.quote("tab\there\u0001"));
        assertEquals("\"chat noir été\"", TritonConfig.quote("chat noir été"));
    }

    @Test
    void badValuesAreRefusedWithTheValue() {
        IllegalArgumentException name =
                assertThrows(IllegalArgumentException.class, () -> TritonConfig.checkName("../x"));
        IllegalArgumentException preferred =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new TritonConfig(
                                        "m",
                                        TritonPlatform.ONNXRUNTIME_ONNX,
                                        4,
                                        List.of(VIDEO),
                                        LOGITS,
                                        "labels.txt",
                                        List.of(8),
                                        100,
                                        false,
                                        Map.of()));

        assertEquals(
                "a Triton model name must be letters, digits, '_', '.' and '-' (not '.' or '..'),"
                        + " got '../x'",
                name.getMessage());
        assertEquals(
                "preferred batch sizes must be in [1, max_batch_size=4], got [8]",
                preferred.getMessage());
    }
}
