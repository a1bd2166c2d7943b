package io.pretext.data.issue;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Partial aggregate over a corpus reader's outcomes, one per input: inputs read and usable, counts per reason, the
 * first issues by id and the labels seen. Built by an action over the persisted outcomes, so retried or recomputed
 * tasks are not counted twice; the image, text and feature readers share it.
 *
 * @param <I> the reader's issues
 * @param <R> their reasons
 */
public final class OutcomeSummary<I extends Issue<R>, R extends Enum<R>> implements Serializable {

    /** Issues by id, then reason; serializable because the sample set travels between executors and driver. */
    private static final class ById<I extends Issue<?>> implements Comparator<I>, Serializable {
        @Override
        public int compare(I a, I b) {
            int byId = a.id().compareTo(b.id());
            return byId != 0 ? byId : Integer.compare(a.reason().ordinal(), b.reason().ordinal());
        }
    }

    private final Class<R> reasons;
    private final int sampleSize;
    private long read;
    private long usable;
    private final long[] counts;
    private final TreeSet<I> samples = new TreeSet<>(new ById<>());
    private final TreeSet<String> labels = new TreeSet<>();

    /**
     * Aggregates a reader's persisted outcomes with one Spark action, the job described as {@code description}
     * (the previous description is put back afterwards).
     */
    public static <T, I extends Issue<R>, R extends Enum<R>> OutcomeSummary<I, R> of(
            JavaRDD<T> outcomes, String description, OutcomeSummary<I, R> zero,
            Function2<OutcomeSummary<I, R>, T, OutcomeSummary<I, R>> add) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(outcomes.context());
        String previous = sc.getLocalProperty("spark.job.description");
        sc.setJobDescription(description);
        try {
            return outcomes.aggregate(zero, add, OutcomeSummary::merge);
        } finally {
            sc.setLocalProperty("spark.job.description", previous);
        }
    }

    /** @param sampleSize how many issues (the first by id) to keep */
    public OutcomeSummary(Class<R> reasons, int sampleSize) {
        this.reasons = reasons;
        this.sampleSize = sampleSize;
        this.counts = new long[reasons.getEnumConstants().length];
    }

    /**
     * One input.
     *
     * @param isUsable whether it gave a record
     * @param label    the record's label, null when none
     * @param issues   what was noticed about it (a reject, repairs)
     */
    public OutcomeSummary<I, R> add(boolean isUsable, String label, List<? extends I> issues) {
        read++;
        if (isUsable) {
            usable++;
            if (label != null) {
                labels.add(label);
            }
        }
        for (I issue : issues) {
            counts[issue.reason().ordinal()]++;
            offer(issue);
        }
        return this;
    }

    public OutcomeSummary<I, R> merge(OutcomeSummary<I, R> other) {
        read += other.read;
        usable += other.usable;
        for (int i = 0; i < counts.length; i++) {
            counts[i] += other.counts[i];
        }
        other.samples.forEach(this::offer);
        labels.addAll(other.labels);
        return this;
    }

    private void offer(I issue) {
        if (sampleSize == 0) {
            return;
        }
        samples.add(issue);
        if (samples.size() > sampleSize) {
            samples.pollLast();
        }
    }

    public long read() {
        return read;
    }

    public long usable() {
        return usable;
    }

    /** The reasons that occurred, with their counts. */
    public Map<R, Long> counts() {
        Map<R, Long> byReason = new EnumMap<>(reasons);
        for (R reason : reasons.getEnumConstants()) {
            if (counts[reason.ordinal()] > 0) {
                byReason.put(reason, counts[reason.ordinal()]);
            }
        }
        return byReason;
    }

    /** The first issues by id. */
    public List<I> samples() {
        return new ArrayList<>(samples);
    }

    /** Labels in natural order: numerically when every label is an integer, else as strings. */
    public List<String> labels() {
        List<String> sorted = new ArrayList<>(labels);
        if (sorted.stream().allMatch(s -> s.matches("-?\\d{1,18}"))) {
            sorted.sort(Comparator.comparingLong(Long::parseLong));
        }
        return sorted;
    }
}
