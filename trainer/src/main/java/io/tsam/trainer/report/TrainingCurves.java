package io.tsam.trainer.report;

import io.tsam.common.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/**
 * The training curves of a run as one PNG: loss (train, validation) per epoch on the left, accuracy
 * in percent (train top-1, validation top-1 and top-5) per epoch on the right.
 *
 * <p>Non-finite values (a diverged loss) are left out of the lines. Rendering uses AWT off-screen
 * only; the trainer's launcher runs with {@code java.awt.headless=true} so that no display is ever
 * needed.
 */
public final class TrainingCurves {
    /** The chart's file name inside a run folder. */
    public static final String FILE_NAME = "curves.png";

    /** Width of each of the two panels, in pixels. */
    public static final int PANEL_WIDTH = 640;

    /** Height of the image, in pixels. */
    public static final int HEIGHT = 480;

    private TrainingCurves() {}

    /**
     * Renders the curves of {@code records} and writes them to {@code png} atomically.
     *
     * @throws IllegalArgumentException when {@code records} is empty
     * @throws IOException when the file cannot be written
     */
    public static void write(Path png, List<EpochRecord> records) throws IOException {
        AtomicFile.write(png, render(records));
    }

    /**
     * The PNG bytes of the curves: {@code 2 * PANEL_WIDTH x HEIGHT} pixels.
     *
     * @throws IllegalArgumentException when {@code records} is empty
     */
    public static byte[] render(List<EpochRecord> records) throws IOException {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("no epochs to draw curves of");
        }
        // Loss falls and accuracy rises: each legend goes where its lines usually are not.
        XYChart loss = chart("Loss", "loss", Styler.LegendPosition.InsideNE);
        addSeries(loss, "train", records, r -> Optional.of(r.trainLoss()));
        addSeries(loss, "validation", records, r -> r.validation().map(ValidationResult::loss));
        XYChart accuracy = chart("Accuracy", "accuracy (%)", Styler.LegendPosition.InsideSE);
        addSeries(accuracy, "train top-1", records, r -> Optional.of(100 * r.trainTop1()));
        addSeries(
                accuracy,
                "validation top-1",
                records,
                r -> r.validation().map(v -> 100 * v.top1()));
        addSeries(
                accuracy,
                "validation top-5",
                records,
                r -> r.validation().map(v -> 100 * v.top5()));
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(
                List.of(loss, accuracy), 1, 2, png, BitmapEncoder.BitmapFormat.PNG);
        return png.toByteArray();
    }

    private static XYChart chart(String title, String yTitle, Styler.LegendPosition legend) {
        XYChart chart =
                new XYChartBuilder()
                        .width(PANEL_WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle("epoch")
                        .yAxisTitle(yTitle)
                        .build();
        chart.getStyler().setLegendPosition(legend);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    /** Adds a line of the finite values of {@code value}; none at all adds no line. */
    private static void addSeries(
            XYChart chart,
            String name,
            List<EpochRecord> records,
            Function<EpochRecord, Optional<Double>> value) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (EpochRecord record : records) {
            Optional<Double> v = value.apply(record);
            if (v.isPresent() && Double.isFinite(v.get())) {
                x.add((double) record.epoch());
                y.add(v.get());
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(name, x, y);
        }
    }
}
