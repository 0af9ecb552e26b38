package io.tsam.exporter.onnx.lowering;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.tsam.config.ShiftStyle;
import io.tsam.model.shift.ShiftTable;
import io.tsam.model.shift.TemporalShift;
import org.junit.jupiter.api.Test;

class ShiftedConvLoweringTest {

    // T=2, C=2, f_div=2, k=1: channel 0 reads t+1, channel 1 reads t-1; the zero frame is time 2.
    private static final ShiftTable TABLE = TemporalShift.table(ShiftStyle.TSM, 2, 2, 2, 1);

    @Test
    void withoutAudioTheIndicesAreTheTablesOwn() {
        assertArrayEquals(new long[] {2, 5, 4, 1}, TABLE.flatIndices());
        assertArrayEquals(TABLE.flatIndices(), ShiftedConvLowering.gatherIndices(TABLE, 0));
    }

    @Test
    void withAudioTheZeroFrameMovesPastTheAudioImageWhichIsReadInPlace() {
        // Padded axis: [v0c0, v0c1, v1c0, v1c1, a c0, a c1, 0, 0].
        assertArrayEquals(
                new long[] {2, 7, 6, 1, 4, 5}, ShiftedConvLowering.gatherIndices(TABLE, 1));
    }
}
