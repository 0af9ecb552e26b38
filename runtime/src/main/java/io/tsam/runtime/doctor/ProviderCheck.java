package io.tsam.runtime.doctor;

import java.util.Optional;

/**
 * Whether one way of running models works here.
 *
 * @param name {@code cpu}, {@code cuda}, {@code tensorrt} (ONNX Runtime execution providers) or
 *     {@code tensorrt-engine} (a serialised engine on the TensorRT runner)
 * @param usable whether it can run models here
 * @param detail what was found: a version and device, or the one-line reason it is unusable
 * @param smoke the smoke inference against the CPU, when a model was given and it was usable
 */
public record ProviderCheck(
        String name, boolean usable, String detail, Optional<SmokeResult> smoke) {

    /** Whether the provider is usable and, if it was smoke-tested, its run succeeded. */
    public boolean works() {
        return usable && smoke.map(SmokeResult::ran).orElse(true);
    }
}
