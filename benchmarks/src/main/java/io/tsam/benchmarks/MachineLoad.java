package io.tsam.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy a shared Linux machine is besides this process: the CPU time other processes took
 * between two snapshots, in cores, from {@code /proc/stat} and {@code /proc/self/stat}, and the
 * one-minute load average. Figures measured while others compete for the cores are not comparable
 * with figures of an idle machine; this tells the two apart round by round.
 */
final class MachineLoad {
    private static final Path STAT = Path.of("/proc/stat");
    private static final Path SELF_STAT = Path.of("/proc/self/stat");
    private static final Path LOADAVG = Path.of("/proc/loadavg");

    /**
     * Where user time is among the fields after the command name of {@code /proc/self/stat}: field
     * 14 of the line, the 12th after the name; system time follows it.
     */
    private static final int UTIME_AFTER_NAME = 11;

    /**
     * CPU time counters, in the kernel's clock ticks, or all zero where {@code /proc} cannot be
     * read.
     *
     * @param busy every CPU's non-idle time
     * @param total every CPU's time
     * @param self this process's user and system time
     */
    record Snapshot(long busy, long total, long self) {}

    private MachineLoad() {}

    /** The counters now. */
    static Snapshot snapshot() {
        try {
            String[] cpu = Files.readAllLines(STAT).get(0).trim().split("\\s+");
            long busy = 0;
            long idle = 0;
            // user nice system idle iowait irq softirq steal; guest time is inside user.
            for (int i = 1; i <= 8 && i < cpu.length; i++) {
                long ticks = Long.parseLong(cpu[i]);
                if (i == 4 || i == 5) {
                    idle += ticks;
                } else {
                    busy += ticks;
                }
            }
            String self = Files.readString(SELF_STAT);
            // The command name in parentheses may hold spaces: count fields after it.
            String[] fields = self.substring(self.lastIndexOf(')') + 2).split(" ");
            long selfTicks =
                    Long.parseLong(fields[UTIME_AFTER_NAME])
                            + Long.parseLong(fields[UTIME_AFTER_NAME + 1]);
            return new Snapshot(busy, busy + idle, selfTicks);
        } catch (IOException | RuntimeException e) {
            return new Snapshot(0, 0, 0);
        }
    }

    /**
     * The cores other processes kept busy on average since {@code since}; NaN when unknown.
     *
     * @param cores the machine's logical processors
     */
    static double otherCores(Snapshot since, Snapshot now, int cores) {
        long total = now.total() - since.total();
        if (total <= 0) {
            return Double.NaN;
        }
        long others = (now.busy() - since.busy()) - (now.self() - since.self());
        return Math.max(0, (double) others * cores / total);
    }

    /** The one-minute load average, or NaN where {@code /proc/loadavg} cannot be read. */
    static double oneMinute() {
        try {
            return Double.parseDouble(Files.readString(LOADAVG).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
