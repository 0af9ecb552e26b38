package io.tsam.runtime.predict;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A prediction over time as a chart: the probability of the leading classes at each window's
 * centre. The classes drawn are every class that leads some window (up to {@value #MAX_CLASSES}),
 * then the most probable others until there are {@value #MIN_CLASSES}.
 */
public final class TimelineChart {

    /** The most classes drawn, so that the chart stays readable. */
    public static final int MAX_CLASSES = 10;

    /** Classes drawn at least, when the model has as many, for context. */
    public static final int MIN_CLASSES = 5;

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 450;

    private TimelineChart() {}

    /**
     * The PNG bytes of the chart.
     *
     * @param title what the chart is of, e.g. the video's name
     * @param windows the windows in order, at least one
     */
    public static byte[] png(String title, List<WindowPrediction> windows) throws IOException {
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("no windows to chart");
        }
        XYChart chart =
                new XYChartBuilder()
                        .width(WIDTH)
                        .height(HEIGHT)
                        .title(title)
                        .xAxisTitle("time (s, window centre)")
                        .yAxisTitle("probability")
                        .build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.0);
        chart.getStyler().setXAxisDecimalPattern("0.#");
        List<Double> centres = windows.stream().map(w -> (w.start() + w.end()) / 2).toList();
        for (int k : classes(windows)) {
            List<Double> probability = new ArrayList<>(windows.size());
            String label = null;
            for (WindowPrediction window : windows) {
                LabelScore score =
                        window.ranking().stream()
                                .filter(s -> s.index() == k)
                                .findFirst()
                                .orElseThrow();
                probability.add(score.probability());
                label = score.label();
            }
            XYSeries series = chart.addSeries(label, centres, probability);
            series.setMarker(windows.size() > 60 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        return out.toByteArray();
    }

    /** The class indices drawn: leaders first, then by peak probability. */
    static List<Integer> classes(List<WindowPrediction> windows) {
        Set<Integer> chosen = new LinkedHashSet<>();
        for (WindowPrediction window : windows) {
            if (chosen.size() < MAX_CLASSES) {
                chosen.add(window.best().index());
            }
        }
        windows.stream()
                .flatMap(w -> w.ranking().stream())
                .sorted(Comparator.comparingDouble(LabelScore::probability).reversed())
                .forEach(
                        s -> {
                            if (chosen.size() < MIN_CLASSES) {
                                chosen.add(s.index());
                            }
                        });
        return List.copyOf(chosen);
    }
}
