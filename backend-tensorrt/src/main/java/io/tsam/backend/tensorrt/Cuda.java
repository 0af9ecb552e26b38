package io.tsam.backend.tensorrt;

import org.bytedeco.cuda.cudart.cudaDeviceProp;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;

/**
 * The few CUDA runtime calls the TensorRT code needs, with their status codes turned into errors.
 */
public final class Cuda {

    private Cuda() {}

    /**
     * Throws if a CUDA call failed.
     *
     * @param status what the call returned
     * @param call the call, for the message
     * @throws IllegalStateException naming the call and CUDA's description of the error
     */
    public static void check(int status, String call) {
        if (status != cudart.cudaSuccess) {
            throw new IllegalStateException(describe(status, call));
        }
    }

    /** {@code call failed: <CUDA's text> (CUDA error N)}. */
    public static String describe(int status, String call) {
        // A pointer to a static string inside the runtime: read, never freed.
        BytePointer text = cudart.cudaGetErrorString(status);
        String message = text == null || text.isNull() ? "unknown error" : text.getString();
        return call + " failed: " + message + " (CUDA error " + status + ")";
    }

    /** Describes the current device, with the given TensorRT version. */
    static GpuInfo currentDevice(String tensorRtVersion) {
        int[] device = new int[1];
        check(cudart.cudaGetDevice(device), "cudaGetDevice");
        String name;
        int major;
        int minor;
        try (cudaDeviceProp properties = new cudaDeviceProp()) {
            check(cudart.cudaGetDeviceProperties(properties, device[0]), "cudaGetDeviceProperties");
            name = properties.name().getString();
            major = properties.major();
            minor = properties.minor();
        }
        int[] driver = new int[1];
        check(cudart.cudaDriverGetVersion(driver), "cudaDriverGetVersion");
        int[] runtime = new int[1];
        check(cudart.cudaRuntimeGetVersion(runtime), "cudaRuntimeGetVersion");
        return new GpuInfo(
                name, major, minor, version(driver[0]), version(runtime[0]), tensorRtVersion);
    }

    /** CUDA's {@code 1000 * major + 10 * minor} as {@code major.minor}. */
    static String version(int encoded) {
        return encoded / 1000 + "." + (encoded % 1000) / 10;
    }
}
