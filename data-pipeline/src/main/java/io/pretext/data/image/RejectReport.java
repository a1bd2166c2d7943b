package io.pretext.data.image;

import java.io.Serializable;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What decoding a corpus left out.
 *
 * @param read    inputs read (usable + rejected)
 * @param usable  inputs that became images
 * @param counts  rejects per reason, only reasons that occurred, in {@link RejectReason} order
 * @param samples the first {@code data.rejectSampleSize} rejects ordered by id
 */
public record RejectReport(long read, long usable, Map<RejectReason, Long> counts, List<ImageReject> samples)
        implements Serializable {

    public RejectReport {
        EnumMap<RejectReason, Long> ordered = new EnumMap<>(RejectReason.class);
        ordered.putAll(counts);
        counts = Collections.unmodifiableMap(ordered);
        samples = List.copyOf(samples);
    }

    public long rejected() {
        return read - usable;
    }

    /** Rejects for one reason, 0 when none. */
    public long count(RejectReason reason) {
        return counts.getOrDefault(reason, 0L);
    }

    /** {@code empty_file=1, truncated=2} in reason order, or {@code none}. */
    public String countsText() {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.entrySet().stream()
                .map(e -> e.getKey().key() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** One line for logs: {@code read 12, usable 6, rejected 6 (empty_file=1, truncated=2, ...)}. */
    public String summary() {
        return "read " + read + ", usable " + usable + ", rejected " + rejected() + " (" + countsText() + ")";
    }
}
