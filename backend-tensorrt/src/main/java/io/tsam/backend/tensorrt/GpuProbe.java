package io.tsam.backend.tensorrt;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.tensorrt.global.nvinfer;
import org.bytedeco.tensorrt.global.nvonnxparser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether TensorRT engines can be built and run here: loads the CUDA runtime, asks it for
 * a GPU, then loads TensorRT and its ONNX parser.
 *
 * <p>Loading the JavaCPP bindings fails with {@link UnsatisfiedLinkError} the first time and {@link
 * NoClassDefFoundError} after that when the NVIDIA driver or TensorRT is missing; both become one
 * line that names what is missing ({@code libcuda.so.1}, the driver; {@code libnvinfer.so.10},
 * TensorRT) and how to get it. Because the JVM remembers a failed class initialisation without its
 * cause, the line does not rely on the error alone: the two libraries are also looked up where the
 * Linux loader looks ({@code /etc/ld.so.cache}, {@code LD_LIBRARY_PATH}, the usual folders) and
 * TensorRT in the {@code -Pgpu} jar on the class path. That lookup only words the message; whether
 * a GPU is usable is always decided by loading the libraries.
 */
public final class GpuProbe {

    /** What building or running an engine needs, for messages. */
    public static final String REQUIREMENT =
            "an NVIDIA GPU with a CUDA "
                    + cudart.CUDART_VERSION / 1000
                    + " driver and TensorRT "
                    + nvinfer.NV_TENSORRT_MAJOR
                    + "."
                    + nvinfer.NV_TENSORRT_MINOR
                    + " libraries";

    /** TensorRT's main library, as the bindings link it. */
    static final String TENSORRT_LIBRARY = "libnvinfer.so." + nvinfer.NV_TENSORRT_MAJOR;

    /** The NVIDIA driver's CUDA library, which only a driver install provides. */
    static final String DRIVER_LIBRARY = "libcuda.so.1";

    private static final Logger logger = LoggerFactory.getLogger(GpuProbe.class);

    private static final Pattern MISSING_LIBRARY =
            Pattern.compile("([\\w.+-]+\\.so(?:\\.\\d+)*): cannot open shared object file");

    /** Where the {@code -Pgpu} jar keeps the libraries JavaCPP extracts and loads. */
    private static final String REDIST_RESOURCE = "org/bytedeco/tensorrt/linux-x86_64/";

    /** Folders the Linux loader or the TensorRT/CUDA installers commonly use. */
    private static final List<String> LIBRARY_FOLDERS =
            List.of(
                    "/usr/lib/x86_64-linux-gnu",
                    "/lib/x86_64-linux-gnu",
                    "/usr/lib64",
                    "/lib64",
                    "/usr/lib",
                    "/usr/local/tensorrt/lib",
                    "/usr/local/cuda/lib64",
                    "/usr/local/cuda/compat",
                    "/usr/lib/wsl/lib");

    private static final Path LOADER_CACHE = Path.of("/etc/ld.so.cache");

    private GpuProbe() {}

    /**
     * Loads the CUDA runtime, TensorRT and its ONNX parser and describes the current GPU.
     *
     * @return the GPU, or the one-line reason engines cannot be built here; never throws for a
     *     missing library or GPU
     */
    public static GpuStatus probe() {
        int[] devices = new int[1];
        int status;
        try {
            status = cudart.cudaGetDeviceCount(devices);
        } catch (LinkageError e) {
            logger.debug("the CUDA runtime bindings did not load", e);
            return GpuStatus.unavailable(
                    explain(
                            e,
                            isInstalled(DRIVER_LIBRARY, false),
                            isInstalled(TENSORRT_LIBRARY, true)));
        }
        if (status != cudart.cudaSuccess) {
            return GpuStatus.unavailable(
                    "no usable GPU was found: " + Cuda.describe(status, "cudaGetDeviceCount"));
        }
        if (devices[0] == 0) {
            return GpuStatus.unavailable("no GPU was found: the CUDA runtime sees no device");
        }
        String tensorRt;
        try {
            tensorRt = tensorRtVersion();
        } catch (LinkageError e) {
            logger.debug("the TensorRT bindings did not load", e);
            return GpuStatus.unavailable(explain(e, true, isInstalled(TENSORRT_LIBRARY, true)));
        }
        return GpuStatus.available(Cuda.currentDevice(tensorRt));
    }

    /**
     * The one-line reason behind a failed load: the libraries the error chain says could not be
     * opened, plus the driver and TensorRT when the lookup did not find them.
     *
     * @param error what loading the bindings threw
     * @param driverFound whether {@value #DRIVER_LIBRARY} was found where the loader looks
     * @param tensorRtFound whether TensorRT's library was found where the loader looks
     */
    static String explain(Throwable error, boolean driverFound, boolean tensorRtFound) {
        Set<String> missing = missingLibraries(error);
        boolean tensorRtMissing = missing.remove(TENSORRT_LIBRARY) || !tensorRtFound;
        boolean driverMissing = missing.remove(DRIVER_LIBRARY) || !driverFound;
        List<String> reasons = new ArrayList<>();
        if (tensorRtMissing) {
            reasons.add(
                    TENSORRT_LIBRARY
                            + " not found (use the -gpu bundle, build with -Pgpu, or install TensorRT "
                            + nvinfer.NV_TENSORRT_MAJOR
                            + "."
                            + nvinfer.NV_TENSORRT_MINOR
                            + ")");
        }
        if (driverMissing) {
            reasons.add("no GPU was found (" + DRIVER_LIBRARY + ", the NVIDIA driver, is missing)");
        }
        for (String library : missing) {
            reasons.add(library + " not found");
        }
        if (reasons.isEmpty()) {
            reasons.add("the native libraries did not load (" + innermostMessage(error) + ")");
        }
        return String.join("; ", reasons);
    }

    /** The libraries named by "cannot open shared object file" anywhere in the cause chain. */
    static Set<String> missingLibraries(Throwable error) {
        Set<String> missing = new LinkedHashSet<>();
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                Matcher matcher = MISSING_LIBRARY.matcher(t.getMessage());
                while (matcher.find()) {
                    missing.add(matcher.group(1));
                }
            }
        }
        return missing;
    }

    private static String tensorRtVersion() {
        int major = nvinfer.getInferLibMajorVersion();
        String version =
                major
                        + "."
                        + nvinfer.getInferLibMinorVersion()
                        + "."
                        + nvinfer.getInferLibPatchVersion()
                        + "."
                        + nvinfer.getInferLibBuildVersion();
        // Loads libnvonnxparser too, so that a missing parser is found here and not mid-build.
        int parser = nvonnxparser.getNvOnnxParserVersion();
        logger.debug("TensorRT {} with ONNX parser {}", version, parser);
        if (major != nvinfer.NV_TENSORRT_MAJOR) {
            throw new UnsatisfiedLinkError(
                    "TensorRT "
                            + version
                            + " was loaded but the bindings are for TensorRT "
                            + nvinfer.NV_TENSORRT_MAJOR
                            + "."
                            + nvinfer.NV_TENSORRT_MINOR);
        }
        return version;
    }

    private static String innermostMessage(Throwable error) {
        Throwable innermost = error;
        while (innermost.getCause() != null) {
            innermost = innermost.getCause();
        }
        return innermost.getMessage() == null
                ? innermost.getClass().getName()
                : innermost.getMessage().lines().findFirst().orElse("");
    }

    /** Whether the loader could find {@code soname}; see the class javadoc. */
    private static boolean isInstalled(String soname, boolean redistributed) {
        if (redistributed
                && GpuProbe.class.getClassLoader().getResource(REDIST_RESOURCE + soname) != null) {
            return true;
        }
        List<String> folders = new ArrayList<>();
        String ldLibraryPath = System.getenv("LD_LIBRARY_PATH");
        if (ldLibraryPath != null) {
            folders.addAll(List.of(ldLibraryPath.split(File.pathSeparator)));
        }
        folders.addAll(
                List.of(System.getProperty("java.library.path", "").split(File.pathSeparator)));
        folders.addAll(LIBRARY_FOLDERS);
        for (String folder : folders) {
            if (!folder.isEmpty() && Files.exists(Path.of(folder, soname))) {
                return true;
            }
        }
        return inLoaderCache(soname);
    }

    private static boolean inLoaderCache(String soname) {
        try {
            // The cache is binary, but it stores every library name as a NUL-terminated string.
            String cache =
                    new String(Files.readAllBytes(LOADER_CACHE), StandardCharsets.ISO_8859_1);
            return cache.contains(soname + '\0');
        } catch (IOException e) {
            return false;
        }
    }
}
