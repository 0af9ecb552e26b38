package io.tsam.trainer.cli;

import io.tsam.common.cli.ProgressBars;
import io.tsam.trainer.report.EpochRecord;
import io.tsam.trainer.report.ValidationResult;
import io.tsam.trainer.train.TrainingListener;
import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;

/** Shows a run on the console: a bar per pass (clips/s, ETA, loss) and one line per epoch. */
final class ConsoleProgress implements TrainingListener {
    private final PrintWriter out;
    private final boolean bars;
    private ProgressBar bar;
    private double lossSum;
    private long clips;

    ConsoleProgress(PrintWriter out, boolean bars) {
        this.out = out;
        this.bars = bars;
    }

    @Override
    public void passStarted(String task, long total) {
        lossSum = 0;
        clips = 0;
        if (bars) {
            bar = ProgressBars.start(task, total, "clips");
        }
    }

    @Override
    public void batchDone(int batchClips, double loss) {
        lossSum += loss * batchClips;
        clips += batchClips;
        if (bar != null) {
            bar.stepBy(batchClips);
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f", lossSum / clips));
        }
    }

    @Override
    public void passFinished() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void epochFinished(EpochRecord record, int epochs, boolean best) {
        StringBuilder line =
                new StringBuilder(
                        String.format(
                                Locale.ROOT,
                                "epoch %d/%d  lr %.3g  loss %.4f  top1 %5.1f%%",
                                record.epoch() + 1,
                                epochs,
                                record.lr(),
                                record.trainLoss(),
                                100 * record.trainTop1()));
        if (record.validation().isPresent()) {
            ValidationResult v = record.validation().get();
            line.append(
                    String.format(
                            Locale.ROOT,
                            "  | val loss %.4f  top1 %5.1f%%  top5 %5.1f%%  mean-class %5.1f%%",
                            v.loss(),
                            100 * v.top1(),
                            100 * v.top5(),
                            100 * v.meanClass()));
        }
        line.append(
                String.format(
                        Locale.ROOT,
                        "  | %.1f clips/s  %.0f s%s",
                        record.clipsPerSecond(),
                        record.seconds(),
                        best ? "  (best)" : ""));
        out.println(line);
        out.flush();
    }

    @Override
    public void info(String message) {
        out.println(message);
        out.flush();
    }
}
