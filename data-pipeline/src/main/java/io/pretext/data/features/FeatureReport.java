package io.pretext.data.features;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What reading a feature corpus left out or repaired.
 *
 * @param read    rows read (usable + dropped); CSV header lines are not rows
 * @param usable  rows that became records (imputed ones included)
 * @param counts  rows per issue reason, only reasons that occurred, in {@link FeatureIssueReason} order; a row
 *                with two reasons counts once under each
 * @param samples the first {@code data.rejectSampleSize} issues ordered by id, then reason
 */
public record FeatureReport(long read, long usable, Map<FeatureIssueReason, Long> counts, List<FeatureIssue> samples)
        implements Serializable {

    public FeatureReport {
        EnumMap<FeatureIssueReason, Long> ordered = new EnumMap<>(FeatureIssueReason.class);
        ordered.putAll(counts);
        counts = Collections.unmodifiableMap(ordered);
        samples = List.copyOf(samples);
    }

    /** Rows dropped. */
    public long rejected() {
        return read - usable;
    }

    /** Rows with this issue, 0 when none. */
    public long count(FeatureIssueReason reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** {@code missing_value=2, non_finite=1} in reason order, or {@code none}. */
    public String countsText() {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.entrySet().stream()
                .map(e -> e.getKey().key() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** One line for logs: {@code read 12, usable 9, rejected 3 (unparseable=1, missing_value=2)}. */
    public String summary() {
        return "read " + read + ", usable " + usable + ", rejected " + rejected() + " (" + countsText() + ")";
    }
}
