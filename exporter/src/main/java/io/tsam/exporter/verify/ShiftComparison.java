package io.tsam.exporter.verify;

/**
 * How one shift of the exported graph compares with the net's {@link
 * io.tsam.model.shift.TemporalShift} on the same activations. A shift only moves values, so the two
 * must agree exactly.
 *
 * @param table the shift's index initialiser, e.g. {@code base_model.layer1.0.conv1.shift_indices}
 * @param channels {@code C}, the shifted conv's input channels
 * @param values how many values were compared
 * @param mismatches how many differ
 */
public record ShiftComparison(String table, int channels, long values, long mismatches) {

    /** Whether every value is the same. */
    public boolean passed() {
        return mismatches == 0;
    }
}
