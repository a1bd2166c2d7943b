package io.pretext.data.features;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Partial aggregate over outcomes: counts per reason, the first issues by id and the labels seen.
 * Built by an action over the persisted outcomes, so retried or recomputed tasks are not counted twice.
 */
final class FeatureSummary implements Serializable {

    /** Issues by id, then reason. */
    static final class ById implements Comparator<FeatureIssue>, Serializable {
        @Override
        public int compare(FeatureIssue a, FeatureIssue b) {
            int byId = a.id().compareTo(b.id());
            return byId != 0 ? byId : a.reason().compareTo(b.reason());
        }
    }

    private final int sampleSize;
    private long read;
    private long usable;
    private final long[] counts = new long[FeatureIssueReason.values().length];
    private final TreeSet<FeatureIssue> samples = new TreeSet<>(new ById());
    private final TreeSet<String> labels = new TreeSet<>();

    FeatureSummary(int sampleSize) {
        this.sampleSize = sampleSize;
    }

    FeatureSummary add(FeatureOutcome outcome) {
        read++;
        if (outcome.record() != null) {
            usable++;
            if (outcome.record().label() != null) {
                labels.add(outcome.record().label());
            }
        }
        for (FeatureIssue issue : outcome.issues()) {
            counts[issue.reason().ordinal()]++;
            offer(issue);
        }
        return this;
    }

    FeatureSummary merge(FeatureSummary other) {
        read += other.read;
        usable += other.usable;
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        other.samples.forEach(this::offer);
        labels.addAll(other.labels);
        return this;
    }

    private void offer(FeatureIssue issue) {
        if (sampleSize == 0) {
            return;
        }
        samples.add(issue);
        if (samples.size() > sampleSize) {
            samples.pollLast();
        }
    }

    FeatureReport report() {
        Map<FeatureIssueReason, Long> byReason = new EnumMap<>(FeatureIssueReason.class);
        for (FeatureIssueReason reason : FeatureIssueReason.values()) {
            if (counts[reason.ordinal()] > 0) {
                byReason.put(reason, counts[reason.ordinal()]);
            }
        }
        return new FeatureReport(read, usable, byReason, new ArrayList<>(samples));
    }

    /** Labels in natural order: numerically when every label is an integer, else as strings. */
    List<String> labels() {
        List<String> sorted = new ArrayList<>(labels);
        if (sorted.stream().allMatch(s -> s.matches("-?\\d{1,18}"))) {
            sorted.sort(Comparator.comparingLong(Long::parseLong));
        }
        return sorted;
    }
}
