package io.tsam.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoublePredicate;
import java.util.stream.IntStream;

/**
 * Named series of measurements taken in rounds, one value per series per round, with how busy the
 * machine was in each round, and their medians: over all rounds, over the quiet ones and over the
 * contended ones.
 */
final class Samples {

    /** A round is quiet when other processes kept fewer cores than this busy. */
    static final double QUIET_CORES = 0.5;

    /** A round is contended when other processes kept at least this many cores busy. */
    static final double CONTENDED_CORES = 1.0;

    /** The series of the cores other processes kept busy, one value per round. */
    static final String OTHER_CORES = "other_cores";

    /** The series of the one-minute load average at the end of each round. */
    static final String LOADAVG = "loadavg_1min";

    private final Map<String, List<Double>> series = new LinkedHashMap<>();

    /** Appends one value to a series, making it on first use. */
    void add(String name, double value) {
        series.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }

    /**
     * Runs {@code warmup + rounds} rounds of {@code actions}, each of which adds its values here,
     * and forgets what the warm-up rounds added. Every round runs each action once, starting with
     * action {@code round % n} and wrapping around, so that the load of a shared machine weighs on
     * all of them alike and no action always runs right after the same other one; and records
     * {@value #OTHER_CORES} and the one-minute load average.
     */
    void run(int warmup, int rounds, List<Runnable> actions) {
        int cores = Runtime.getRuntime().availableProcessors();
        int n = actions.size();
        for (int round = 0; round < warmup + rounds; round++) {
            if (round == warmup) {
                series.clear();
            }
            MachineLoad.Snapshot start = MachineLoad.snapshot();
            for (int i = 0; i < n; i++) {
                actions.get((round + i) % n).run();
            }
            add(OTHER_CORES, MachineLoad.otherCores(start, MachineLoad.snapshot(), cores));
            add(LOADAVG, MachineLoad.oneMinute());
        }
    }

    /** The values of a series in round order. */
    List<Double> values(String name) {
        List<Double> values = series.get(name);
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(
                    "no samples named " + name + "; there are " + series.keySet());
        }
        return List.copyOf(values);
    }

    /** The median of a series over all rounds. */
    double median(String name) {
        return median(values(name));
    }

    /** The rounds whose {@value #OTHER_CORES} pass {@code test}. */
    List<Integer> rounds(DoublePredicate test) {
        List<Double> other = values(OTHER_CORES);
        return IntStream.range(0, other.size())
                .filter(i -> test.test(other.get(i)))
                .boxed()
                .toList();
    }

    /** The quiet rounds: other processes kept fewer than {@value #QUIET_CORES} cores busy. */
    List<Integer> quietRounds() {
        return rounds(c -> c < QUIET_CORES);
    }

    /** The contended rounds: others kept at least {@value #CONTENDED_CORES} cores busy. */
    List<Integer> contendedRounds() {
        return rounds(c -> c >= CONTENDED_CORES);
    }

    /** The median of a series over some rounds; NaN for none. */
    double median(String name, List<Integer> rounds) {
        List<Double> values = values(name);
        return median(rounds.stream().map(values::get).toList());
    }

    /**
     * Puts the machine's load: the median of {@value #OTHER_CORES} and of the load average, and how
     * many rounds were quiet and contended.
     */
    void loadInto(Map<String, Object> row) {
        row.put("rounds", values(OTHER_CORES).size());
        row.put("other_cores_median", median(OTHER_CORES));
        row.put("loadavg_1min_median", median(LOADAVG));
        row.put("quiet_rounds", quietRounds().size());
        row.put("contended_rounds", contendedRounds().size());
        row.put("other_cores_samples", values(OTHER_CORES));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The wall time of {@code action} in milliseconds. */
    static double timeMs(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return (System.nanoTime() - start) / 1e6;
    }
}
