package io.tsam.trainer.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartsTest {
    @TempDir Path dir;

    @Test
    void trainingCurvesDecodeAtTheirSize() throws IOException {
        List<EpochRecord> records = new ArrayList<>();
        for (int epoch = 0; epoch < 5; epoch++) {
            records.add(
                    epoch % 2 == 0
                            ? MetricsLogTest.validated(epoch)
                            : MetricsLogTest.notValidated(epoch));
        }
        Path png = dir.resolve(TrainingCurves.FILE_NAME);
        TrainingCurves.write(png, records);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(2 * TrainingCurves.PANEL_WIDTH, image.getWidth());
        assertEquals(TrainingCurves.HEIGHT, image.getHeight());
        assertTrue(distinctColours(image) > 10, "the image looks blank");
    }

    @Test
    void curvesOfOneEpochWithADivergedLossStillRender() throws IOException {
        EpochRecord diverged = new EpochRecord(0, 0.1, Double.NaN, 0.1, Optional.empty(), 10, 1);
        Path png = dir.resolve("one.png");
        TrainingCurves.write(png, List.of(diverged));
        assertEquals(TrainingCurves.HEIGHT, ImageIO.read(png.toFile()).getHeight());
        assertThrows(IllegalArgumentException.class, () -> TrainingCurves.render(List.of()));
    }

    @Test
    void confusionMatrixDecodesAtItsSize() throws IOException {
        int[][] confusion = {{5, 1, 0}, {2, 3, 0}, {0, 0, 4}};
        Path png = dir.resolve(ConfusionMatrixChart.FILE_NAME);
        ConfusionMatrixChart.write(png, confusion, List.of("walk", "run", "jump"));
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(ConfusionMatrixChart.side(3), image.getWidth());
        assertEquals(ConfusionMatrixChart.side(3), image.getHeight());
        assertTrue(distinctColours(image) > 10, "the image looks blank");
    }

    @Test
    void confusionMatrixGrowsWithTheClassesUpToACap() throws IOException {
        assertEquals(600, ConfusionMatrixChart.side(2));
        assertEquals(240 + 40 * 50, ConfusionMatrixChart.side(50));
        assertEquals(3000, ConfusionMatrixChart.side(400));
        int classes = 50;
        int[][] confusion = new int[classes][classes];
        List<String> names = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            confusion[c][c] = c;
            confusion[c][(c + 1) % classes] = 1;
            names.add("class_" + c);
        }
        BufferedImage image =
                ImageIO.read(
                        new ByteArrayInputStream(ConfusionMatrixChart.render(confusion, names)));
        assertEquals(ConfusionMatrixChart.side(classes), image.getWidth());
    }

    @Test
    void confusionMatrixRejectsMismatchedNames() {
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfusionMatrixChart.render(new int[][] {{1, 0}, {0, 1}}, List.of("a")));
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfusionMatrixChart.render(new int[][] {{1, 0}, {0}}, List.of("a", "b")));
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }
}
