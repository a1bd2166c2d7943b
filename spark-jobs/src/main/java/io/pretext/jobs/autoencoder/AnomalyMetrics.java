package io.pretext.jobs.autoencoder;

import java.util.Arrays;

/**
 * Ranking metrics of an anomaly score (higher = more anomalous) on a set of normal and anomalous records, with
 * anomalies as the positive class. Ties are handled exactly, so the metrics do not depend on the order of records.
 */
final class AnomalyMetrics {

    private AnomalyMetrics() {
    }

    /**
     * The area under the ROC curve: the probability that a random anomalous record scores above a random normal one,
     * ties counting one half (the Mann-Whitney U statistic over {@code |normal| |anomalous|}).
     *
     * @throws IllegalArgumentException when either set is empty or a score is NaN
     */
    static double auroc(double[] normal, double[] anomalous) {
        Scored[] all = merged(normal, anomalous);
        double rankSum = 0; // of the anomalous records, ranks 1..n ascending, ties at their mean rank
        int i = 0;
        while (i < all.length) {
            int j = i;
            int positives = 0;
            while (j < all.length && all[j].score == all[i].score) {
                positives += all[j].anomalous ? 1 : 0;
                j++;
            }
            double meanRank = (i + 1 + j) / 2.0;
            rankSum += positives * meanRank;
            i = j;
        }
        double p = anomalous.length;
        return (rankSum - p * (p + 1) / 2) / (p * normal.length);
    }

    /**
     * Average precision: the mean over anomalous records of the precision among the records scoring at least as
     * high, records with equal scores taken together (scikit-learn's {@code average_precision_score}, a step-wise
     * area under the precision-recall curve without interpolation).
     *
     * @throws IllegalArgumentException when either set is empty or a score is NaN
     */
    static double averagePrecision(double[] normal, double[] anomalous) {
        Scored[] all = merged(normal, anomalous);
        double ap = 0;
        int truePositives = 0;
        int i = all.length - 1; // descending score
        while (i >= 0) {
            int j = i;
            int positives = 0;
            while (j >= 0 && all[j].score == all[i].score) {
                positives += all[j].anomalous ? 1 : 0;
                j--;
            }
            truePositives += positives;
            int flagged = all.length - 1 - j;
            ap += (double) positives / anomalous.length * ((double) truePositives / flagged);
            i = j;
        }
        return ap;
    }

    /** The fraction of {@code scores} above {@code threshold}. */
    static double fractionAbove(double[] scores, double threshold) {
        return (double) Arrays.stream(scores).filter(s -> s > threshold).count() / scores.length;
    }

    private record Scored(double score, boolean anomalous) {
    }

    private static Scored[] merged(double[] normal, double[] anomalous) {
        if (normal.length == 0 || anomalous.length == 0) {
            throw new IllegalArgumentException("anomaly metrics need normal and anomalous records, got "
                    + normal.length + " normal and " + anomalous.length + " anomalous");
        }
        Scored[] all = new Scored[normal.length + anomalous.length];
        for (int i = 0; i < normal.length; i++) {
            all[i] = new Scored(check(normal[i]), false);
        }
        for (int i = 0; i < anomalous.length; i++) {
            all[normal.length + i] = new Scored(check(anomalous[i]), true);
        }
        Arrays.sort(all, (a, b) -> Double.compare(a.score, b.score));
        return all;
    }

    private static double check(double score) {
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException("an anomaly score is NaN");
        }
        return score;
    }
}
