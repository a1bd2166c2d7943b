package io.pretext.jobs.report;

import io.pretext.jobs.train.ProgressLog;

import java.util.Locale;

/** How the reports write numbers: one place, so a figure reads the same in every table. */
final class Fmt {

    static final String NONE = "—";

    private Fmt() {
    }

    /** Losses and accuracies: four decimals, as in the progress line and the quickstart table. */
    static String decimal4(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : NONE;
    }

    static String rate(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%,.1f", v) : NONE;
    }

    static String count(long v) {
        return v < 0 ? NONE : String.format(Locale.ROOT, "%,d", v);
    }

    static String percent(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.1f%%", 100 * share) : NONE;
    }

    static String learningRate(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3g", v) : NONE;
    }

    static String duration(long millis) {
        return millis <= 0 ? NONE : ProgressLog.duration(millis);
    }

    /** A pretrained score next to its baseline: points for scores in [0, 1] (accuracies), plain otherwise. */
    static String difference(double value, double baseline) {
        if (!Double.isFinite(value) || !Double.isFinite(baseline)) {
            return NONE;
        }
        if (value >= 0 && value <= 1 && baseline >= 0 && baseline <= 1) {
            return String.format(Locale.ROOT, "%+.1f points", 100 * (value - baseline));
        }
        return String.format(Locale.ROOT, "%+.4f", value - baseline);
    }

    /** An evaluation's file name as a reader says it: linear-probe -> Linear probe, knn -> kNN. */
    static String evalName(String name) {
        if (name.equals("knn")) {
            return "kNN";
        }
        String words = name.replace('-', ' ');
        return words.isEmpty() ? words : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }
}
