package io.tsam.dist;

import java.util.Locale;

/** A platform a bundle is made for, with the names each library gives it. */
public enum Platform {
    /** x86-64 Linux: servers, workstations, most clouds. */
    LINUX_X86_64("linux-x86_64", 62),
    /** 64-bit ARM Linux: Jetson, Graviton, Ampere. */
    LINUX_ARM64("linux-arm64", 183);

    private final String id;
    private final int elfMachine;

    Platform(String id, int elfMachine) {
        this.id = id;
        this.elfMachine = elfMachine;
    }

    /** JavaCPP's classifier, also the bundle's name part, e.g. {@code linux-arm64}. */
    public String id() {
        return id;
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
