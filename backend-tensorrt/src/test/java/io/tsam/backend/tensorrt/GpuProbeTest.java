package io.tsam.backend.tensorrt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class GpuProbeTest {

    /** What JavaCPP throws the first time when the driver is missing (seen on a CPU machine). */
    private static UnsatisfiedLinkError noDriver() {
        UnsatisfiedLinkError outer =
                new UnsatisfiedLinkError("no jnicudart in java.library.path: /usr/lib");
        outer.initCause(
                new UnsatisfiedLinkError(
                        "/root/.javacpp/cache/cuda.jar/org/bytedeco/cuda/linux-x86_64/"
                                + "libjnicudart.so: libcuda.so.1: cannot open shared object file:"
                                + " No such file or directory"));
        return outer;
    }

    @Test
    void theMissingLibrariesAreReadFromTheCauseChain() {
        assertEquals(Set.of("libcuda.so.1"), GpuProbe.missingLibraries(noDriver()));
    }

    @Test
    void aMissingDriverMeansNoGpu() {
        assertEquals(
                "no GPU was found (libcuda.so.1, the NVIDIA driver, is missing)",
                GpuProbe.explain(noDriver(), true, true));
    }

    @Test
    void aMissingTensorRtSaysHowToGetIt() {
        UnsatisfiedLinkError error =
                new UnsatisfiedLinkError(
                        "/tmp/libjninvinfer.so: libnvinfer.so.10: cannot open shared object file:"
                                + " No such file or directory");

        assertEquals(
                "libnvinfer.so.10 not found (use the -gpu bundle, build with -Pgpu, or install TensorRT"
                        + " 10.15)",
                GpuProbe.explain(error, true, true));
        assertEquals(
                "libnvinfer.so.10 not found (use the -gpu bundle, build with -Pgpu, or install TensorRT"
                        + " 10.15); no GPU was found (libcuda.so.1, the NVIDIA driver, is"
                        + " missing)",
                GpuProbe.explain(noDriver(), true, false));
    }

    @Test
    void aRepeatedFailureWithoutNamesFallsBackToTheLookupOrTheMessage() {
        // The JVM's second answer: the class failed to initialise, the library name is gone.
        NoClassDefFoundError again =
                new NoClassDefFoundError(
                        "Could not initialize class org.bytedeco.cuda.global.cudart");
        again.initCause(
                new ExceptionInInitializerError(
                        "Exception java.lang.UnsatisfiedLinkError: no jnicudart in"
                                + " java.library.path"));

        assertEquals(
                "no GPU was found (libcuda.so.1, the NVIDIA driver, is missing)",
                GpuProbe.explain(again, false, true));
        assertEquals(
                "the native libraries did not load (Exception java.lang.UnsatisfiedLinkError: no"
                        + " jnicudart in java.library.path)",
                GpuProbe.explain(again, true, true));
    }

    @Test
    void withoutAGpuTheProbeGivesOneLineAndThrowsNothing() {
        GpuStatus status = GpuProbe.probe();
        assumeFalse(status.available(), "this machine has a GPU with TensorRT");

        GpuStatus again = GpuProbe.probe();

        assertFalse(status.problem().isBlank());
        assertEquals(1, status.problem().lines().count(), status.problem());
        assertEquals(status, again, "a second probe in the same JVM says the same");
    }

    @Test
    void withAGpuTheProbeDescribesIt() {
        GpuStatus status = GpuProbe.probe();
        assumeTrue(status.available(), status.problem());

        GpuInfo gpu = status.gpu().orElseThrow();

        assertFalse(gpu.name().isBlank());
        assertTrue(gpu.computeMajor() >= 5, gpu.toString());
        assertTrue(gpu.tensorRtVersion().startsWith("10."), gpu.toString());
    }
}
