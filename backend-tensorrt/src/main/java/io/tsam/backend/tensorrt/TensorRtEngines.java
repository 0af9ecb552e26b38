package io.tsam.backend.tensorrt;

import io.tsam.backend.EngineBackendProvider;
import io.tsam.backend.InferenceBackend;
import java.nio.file.Path;
import org.bytedeco.tensorrt.global.nvinfer;

/**
 * Opens {@code --engine model.plan} files for the runtime; found through {@link
 * java.util.ServiceLoader}.
 */
public final class TensorRtEngines implements EngineBackendProvider {

    @Override
    public String name() {
        // Compile-time constants: naming the version loads no native library.
        return "TensorRT " + nvinfer.NV_TENSORRT_MAJOR + "." + nvinfer.NV_TENSORRT_MINOR;
    }

    @Override
    public InferenceBackend open(Path engine) {
        return TensorRtBackend.open(engine, TensorRtBackend.DEFAULT_CONTEXTS);
    }
}
