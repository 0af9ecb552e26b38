package io.tsam.backend.tensorrt;

import io.tsam.common.io.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A serialised TensorRT engine (a {@code .plan} file) and its {@link EngineInfo}, which is kept
 * beside it as {@code <name>.plan.json}.
 *
 * <p>The plan's bytes are shared, not copied: callers must not modify {@link #bytes()}.
 */
public final class EnginePlan {

    private final byte[] bytes;
    private final EngineInfo info;

    /**
     * Pairs a plan with its description.
     *
     * @throws IllegalArgumentException if the description is of other bytes
     */
    public EnginePlan(byte[] bytes, EngineInfo info) {
        this.bytes = Objects.requireNonNull(bytes, "bytes");
        this.info = Objects.requireNonNull(info, "info");
        String sha256 = sha256(bytes);
        if (!sha256.equals(info.planSha256())) {
            throw new IllegalArgumentException(
                    "the engine description is of a plan with SHA-256 "
                            + info.planSha256()
                            + ", but these bytes have "
                            + sha256);
        }
    }

    /** The serialised engine; not a copy, do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    /** What the engine is. */
    public EngineInfo info() {
        return info;
    }

    /**
     * Where the description of {@code plan} is kept: {@code model.plan} → {@code model.plan.json}.
     */
    public static Path sidecarOf(Path plan) {
        return plan.resolveSibling(plan.getFileName() + ".json");
    }

    /**
     * Writes the plan, then its sidecar, each atomically. A crash in between leaves a sidecar that
     * {@link #read} rejects, never a sidecar that describes the wrong plan unnoticed.
     *
     * @throws IOException if a file cannot be written
     */
    public void write(Path plan) throws IOException {
        AtomicFile.write(plan, bytes);
        AtomicFile.write(sidecarOf(plan), info.toJson().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a plan and its sidecar.
     *
     * @throws IOException if a file cannot be read
     * @throws IllegalArgumentException naming the files if the sidecar is malformed or describes
     *     another plan
     */
    public static EnginePlan read(Path plan) throws IOException {
        Path sidecar = sidecarOf(plan);
        if (!Files.isRegularFile(sidecar)) {
            throw new IllegalArgumentException(
                    plan + ": has no description " + sidecar.getFileName() + " beside it");
        }
        byte[] bytes = Files.readAllBytes(plan);
        EngineInfo info =
                EngineInfo.parse(
                        Files.readString(sidecar, StandardCharsets.UTF_8), sidecar.toString());
        try {
            return new EnginePlan(bytes, info);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(plan + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 of {@code bytes}, 64 lower-case hex digits. */
    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
