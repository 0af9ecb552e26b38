package io.tsam.trainer.train;

import io.tsam.model.checkpoint.NativeCheckpoint;
import io.tsam.trainer.report.ConfusionMatrixChart;
import io.tsam.trainer.report.MetricsLog;
import io.tsam.trainer.report.ScoresFile;
import io.tsam.trainer.report.TrainingCurves;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output folder of one run, {@code <results_folder>/<run_id>/}, and the name of every file in
 * it, so the trainer, the CLI and the README agree on one layout.
 *
 * @param dir the run's folder
 */
public record RunFolder(Path dir) {
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern RESUME_FILE = Pattern.compile("epoch-\\d{4,}\\.safetensors");

    /**
     * The folder of run {@code runId} under {@code resultsFolder} (relative to the working
     * directory, as TSAM's {@code main.py} resolves it).
     *
     * @throws IllegalArgumentException if {@code runId} is not a plain folder name
     */
    public static RunFolder of(String resultsFolder, String runId) {
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException(
                    "--run_id '"
                            + runId
                            + "' must be a plain folder name: letters, digits, '.', '_' and '-',"
                            + " not starting with '.' or '-'");
        }
        return new RunFolder(Path.of(resultsFolder).resolve(runId).toAbsolutePath().normalize());
    }

    /** The copy of the data file, with {@code data_dir} made absolute so it still resolves. */
    public Path dataConfig() {
        return dir.resolve("data.json");
    }

    /** The copy of the model file the run uses. */
    public Path modelConfig() {
        return dir.resolve("config.json");
    }

    /** One JSON line per finished epoch. */
    public Path metrics() {
        return dir.resolve(MetricsLog.FILE_NAME);
    }

    /** The checkpoint of the last finished epoch (weights and sidecar), to export or validate. */
    public Path lastCheckpoint() {
        return dir.resolve("last.safetensors");
    }

    /**
     * The resume state after {@code epochs} finished epochs: weights, optimizer state and sidecar
     * under {@code checkpoints/}. Each epoch gets new files and the previous ones are deleted only
     * once these are complete, so a kill at any moment leaves one complete set to resume from.
     */
    public Path resumeCheckpoint(int epochs) {
        return checkpoints().resolve(String.format(Locale.ROOT, "epoch-%04d.safetensors", epochs));
    }

    /** The folder of the resume states, see {@link #resumeCheckpoint}. */
    public Path checkpoints() {
        return dir.resolve("checkpoints");
    }

    /** The complete resume states in this folder (their sidecar exists), oldest first. */
    public List<Path> resumeCheckpoints() throws IOException {
        if (!Files.isDirectory(checkpoints())) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(checkpoints())) {
            return files.filter(f -> RESUME_FILE.matcher(f.getFileName().toString()).matches())
                    .filter(f -> Files.isRegularFile(NativeCheckpoint.sidecarOf(f)))
                    .sorted()
                    .toList();
        }
    }

    /** The checkpoint with the best validation top-1 so far. */
    public Path bestCheckpoint() {
        return dir.resolve("best.safetensors");
    }

    /** Loss and accuracy per epoch, as a PNG. */
    public Path curves() {
        return dir.resolve(TrainingCurves.FILE_NAME);
    }

    /** The confusion matrix of the latest validation, as a PNG. */
    public Path confusion() {
        return dir.resolve(ConfusionMatrixChart.FILE_NAME);
    }

    /** Per-video probabilities of a validation run. */
    public Path scores() {
        return dir.resolve(ScoresFile.FILE_NAME);
    }

    /** The metrics of a validation run, as JSON. */
    public Path validation() {
        return dir.resolve("validation.json");
    }

    /**
     * Whether {@code file} is a temporary file of {@code AtomicFile} ({@code .NAME.UUID.tmp}), left
     * behind only when a process dies mid-write.
     */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    /** Whether a run was started here (its config copy exists). */
    public boolean isStarted() {
        return Files.isRegularFile(modelConfig());
    }
}
