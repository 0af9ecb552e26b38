package io.tsam.dist;

import java.util.Locale;

/** A platform a bundle is made for, with the names each library gives it. */
public enum Platform {
    /** x86-64 Linux: servers, workstations, most clouds. */
    LINUX_X86_64("linux-x86_64", "linux-x64", 62),
    /** 64-bit ARM Linux: Jetson, Graviton, Ampere. */
    LINUX_ARM64("linux-arm64", "linux-aarch64", 183);

    private final String id;
    private final String onnxRuntimeFolder;
    private final int elfMachine;

    Platform(String id, String onnxRuntimeFolder, int elfMachine) {
        this.id = id;
        this.onnxRuntimeFolder = onnxRuntimeFolder;
        this.elfMachine = elfMachine;
    }

    /** JavaCPP's classifier, also the bundle's name part, e.g. {@code linux-arm64}. */
    public String id() {
        return id;
    }

    /** Where ONNX Runtime's jar keeps this platform's libraries, e.g. {@code linux-aarch64}. */
    public String onnxRuntimeFolder() {
        return onnxRuntimeFolder;
    }

    /** The {@code e_machine} of this platform's ELF files (62 x86-64, 183 AArch64). */
    public int elfMachine() {
        return elfMachine;
    }

    /** The platform this JVM runs on. */
    public static Platform host() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") || arch.equals("arm64") ? LINUX_ARM64 : LINUX_X86_64;
    }

    /**
     * The platform named {@code id}.
     *
     * @throws IllegalArgumentException naming the value and the supported ones
     */
    public static Platform of(String id) {
        for (Platform platform : values()) {
            if (platform.id.equals(id)) {
                return platform;
            }
        }
        throw new IllegalArgumentException(
                "--platform " + id + ": not one of linux-x86_64, linux-arm64");
    }
}
