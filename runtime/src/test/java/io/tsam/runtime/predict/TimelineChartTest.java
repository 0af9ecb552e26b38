package io.tsam.runtime.predict;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineChartTest {

    /** Window {@code k} of 12 classes led by class {@code leader}, the others trailing by index. */
    private static WindowPrediction window(int k, int leader) {
        List<LabelScore> ranking = new ArrayList<>();
        ranking.add(new LabelScore(leader, "c" + leader, 0.5));
        for (int c = 0; c < 12; c++) {
            if (c != leader) {
                ranking.add(new LabelScore(c, "c" + c, 0.04 - c * 0.001));
            }
        }
        return new WindowPrediction(
                k, k, k + 2, ranking, new float[12], new int[0], AudioState.PRESENT);
    }

    @Test
    void everyLeaderIsDrawnThenTheMostProbableOthers() throws IOException {
        List<WindowPrediction> sevenLeaders = new ArrayList<>();
        for (int k = 0; k < 7; k++) {
            sevenLeaders.add(window(k, 11 - k));
        }
        assertEquals(List.of(11, 10, 9, 8, 7, 6, 5), TimelineChart.classes(sevenLeaders));

        List<WindowPrediction> oneLeader = List.of(window(0, 3), window(1, 3));
        assertEquals(List.of(3, 0, 1, 2, 4), TimelineChart.classes(oneLeader));

        byte[] png = TimelineChart.png("t", sevenLeaders);
        assertTrue(png.length > 1000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G');
    }
}
