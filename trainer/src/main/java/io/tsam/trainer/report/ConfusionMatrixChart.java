package io.tsam.trainer.report;

import io.tsam.common.io.AtomicFile;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * A confusion matrix as a PNG heat map: true classes down the rows (the first class at the top),
 * predicted classes along the columns, class names on both axes, and each cell's count written in
 * it while the cells are large enough to read.
 *
 * <p>Rendering uses AWT off-screen only; the trainer's launcher runs with {@code
 * java.awt.headless=true} so that no display is ever needed.
 */
public final class ConfusionMatrixChart {
    /** The chart's file name inside a run folder. */
    public static final String FILE_NAME = "confusion.png";

    private static final int MIN_SIDE = 600;
    private static final int MAX_SIDE = 3000;
    private static final int CELL = 40;
    private static final int MARGIN = 240;
    // Above this many classes a cell is too small for its count.
    private static final int MAX_LABELLED_CLASSES = 40;

    private ConfusionMatrixChart() {}

    /**
     * Renders {@code confusion} and writes it to {@code png} atomically.
     *
     * @param confusion {@code [K][K]} counts, row = true class, column = predicted class
     * @param classNames the {@code K} class names
     * @throws IllegalArgumentException for a matrix that is not square or does not match the names
     * @throws IOException when the file cannot be written
     */
    public static void write(Path png, int[][] confusion, List<String> classNames)
            throws IOException {
        AtomicFile.write(png, render(confusion, classNames));
    }

    /**
     * The PNG bytes of the chart, a square of {@link #side(int)} pixels.
     *
     * @throws IllegalArgumentException for a matrix that is not square or does not match the names
     */
    public static byte[] render(int[][] confusion, List<String> classNames) throws IOException {
        int classes = classNames.size();
        if (classes == 0 || confusion.length != classes) {
            throw new IllegalArgumentException(
                    "expected a "
                            + classes
                            + " x "
                            + classes
                            + " matrix for "
                            + classes
                            + " class names, got "
                            + confusion.length
                            + " rows");
        }
        int max = 0;
        List<Number[]> cells = new ArrayList<>(classes * classes);
        for (int row = 0; row < classes; row++) {
            if (confusion[row].length != classes) {
                throw new IllegalArgumentException(
                        "row "
                                + row
                                + " has "
                                + confusion[row].length
                                + " columns, expected "
                                + classes);
            }
            for (int col = 0; col < classes; col++) {
                max = Math.max(max, confusion[row][col]);
                // The heat map's y index 0 is the bottom row; the first class goes on top.
                cells.add(new Number[] {col, classes - 1 - row, confusion[row][col]});
            }
        }
        List<String> rowNames = new ArrayList<>(classNames);
        Collections.reverse(rowNames);
        int side = side(classes);
        HeatMapChart chart =
                new HeatMapChartBuilder()
                        .width(side)
                        .height(side)
                        .title("Confusion matrix")
                        .xAxisTitle("predicted")
                        .yAxisTitle("true")
                        .build();
        chart.getStyler()
                .setShowValue(classes <= MAX_LABELLED_CLASSES)
                // Light enough at the top of the scale for the black counts to stay readable.
                .setRangeColors(new Color[] {Color.WHITE, new Color(0x4a, 0x90, 0xc8)})
                .setMin(0)
                .setMax(Math.max(1, max))
                .setHeatMapValueDecimalPattern("0");
        chart.getStyler().setXAxisLabelRotation(classes > 8 ? 45 : 0);
        chart.addSeries("counts", new ArrayList<>(classNames), rowNames, cells);
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }

    /** The side of the square image for {@code classes} classes, in pixels. */
    public static int side(int classes) {
        return Math.min(MAX_SIDE, Math.max(MIN_SIDE, MARGIN + CELL * classes));
    }
}
