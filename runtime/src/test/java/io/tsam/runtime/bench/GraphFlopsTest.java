package io.tsam.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphFlopsTest {

    @TempDir Path dir;

    @Test
    void convolutionsAndMatrixProductsCountTwoFlopsPerMultiplyAdd() throws IOException {
        // As ONNX Runtime profiles nodes: a 7x7 stride-2 stem conv of 9 images, a grouped 3x3
        // conv, the classifier Gemm, and records that do not count.
        String profile =
                """
                [
                 {"cat":"Session","name":"session_initialization","args":{}},
                 {"cat":"Node","name":"conv1_fence_before","args":{"op_name":"Conv"}},
                 {"cat":"Node","name":"conv1_kernel_time","args":{"op_name":"Conv",
                  "input_type_shape":[{"float":[9,3,224,224]},{"float":[64,3,7,7]},{"float":[64]}],
                  "output_type_shape":[{"float":[9,64,112,112]}]}},
                 {"cat":"Node","name":"group_kernel_time","args":{"op_name":"Conv",
                  "input_type_shape":[{"float":[1,32,8,8]},{"float":[32,8,3,3]}],
                  "output_type_shape":[{"float":[1,32,8,8]}]}},
                 {"cat":"Node","name":"fc_kernel_time","args":{"op_name":"Gemm",
                  "input_type_shape":[{"float":[1,2048]},{"float":[400,2048]},{"float":[400]}],
                  "output_type_shape":[{"float":[1,400]}]}},
                 {"cat":"Node","name":"relu_kernel_time","args":{"op_name":"Relu",
                  "input_type_shape":[{"float":[9,64,112,112]}],
                  "output_type_shape":[{"float":[9,64,112,112]}]}}
                ]
                """;
        Path file = Files.writeString(dir.resolve("profile.json"), profile);
        double stem = 2.0 * 9 * 64 * 112 * 112 * (3 * 7 * 7);
        double grouped = 2.0 * 32 * 8 * 8 * (8 * 3 * 3);
        double fc = 2.0 * 400 * 2048;
        assertEquals(stem + grouped + fc, GraphFlops.count(file));
    }

    @Test
    void theReferenceMatMulIsAModelOnnxRuntimeRuns() {
        try (GemmReference gemm =
                new GemmReference(ai.onnxruntime.OrtEnvironment.getEnvironment(), 64, 1)) {
            gemm.run();
            assertEquals(2.0 * 64 * 64 * 64, gemm.flops());
        }
    }
}
