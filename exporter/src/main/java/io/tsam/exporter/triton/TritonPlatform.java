package io.tsam.exporter.triton;

/** The Triton backend a model version is served by, and the file name it looks for. */
public enum TritonPlatform {
    /** ONNX Runtime, on the CPU or the GPU. */
    ONNXRUNTIME_ONNX("onnxruntime_onnx", "model.onnx"),
    /** A serialised TensorRT engine, on the GPU it was built for. */
    TENSORRT_PLAN("tensorrt_plan", "model.plan");

    private final String configName;
    private final String modelFile;

    TritonPlatform(String configName, String modelFile) {
        this.configName = configName;
        this.modelFile = modelFile;
    }

    /** The {@code platform} value of {@code config.pbtxt}. */
    public String configName() {
        return configName;
    }

    /** The model file Triton loads from a version folder by default. */
    public String modelFile() {
        return modelFile;
    }
}
