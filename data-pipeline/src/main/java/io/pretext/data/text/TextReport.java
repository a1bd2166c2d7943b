package io.pretext.data.text;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What reading a text corpus left out or changed.
 *
 * @param read    inputs read (usable + rejected)
 * @param usable  inputs that became documents (repaired ones included)
 * @param counts  inputs per issue reason, only reasons that occurred, in {@link TextIssueReason} order; an input
 *                with two repairs counts once under each
 * @param samples the first {@code data.rejectSampleSize} issues ordered by id, then reason
 */
public record TextReport(long read, long usable, Map<TextIssueReason, Long> counts, List<TextIssue> samples)
        implements Serializable {

    public TextReport {
        EnumMap<TextIssueReason, Long> ordered = new EnumMap<>(TextIssueReason.class);
        ordered.putAll(counts);
        counts = Collections.unmodifiableMap(ordered);
        samples = List.copyOf(samples);
    }

    public long rejected() {
        return read - usable;
    }

    /** Inputs with this issue, 0 when none. */
    public long count(TextIssueReason reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** {@code empty=1, line_truncated=2} in reason order, or {@code none}. */
    public String countsText() {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.entrySet().stream()
                .map(e -> e.getKey().key() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** One line for logs: {@code read 12, usable 9, rejected 3 (binary=1, empty=2, utf8_replaced=1)}. */
    public String summary() {
        return "read " + read + ", usable " + usable + ", rejected " + rejected() + " (" + countsText() + ")";
    }
}
