package io.pretext.data.image;

import java.io.Serializable;
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
    counts = Map.copyOf(counts);
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
    return java.util.Arrays.stream(RejectReason.values())
        .filter(counts::containsKey)
        .map(r -> r.key() + "=" + counts.get(r))
        .collect(Collectors.joining(", "));
  }

  /** One line for logs: {@code read 12, usable 6, rejected 6 (empty_file=1, truncated=2, ...)}. */
  public String summary() {
    return "read " + read + ", usable " + usable + ", rejected " + rejected() + " (" + countsText() + ")";
  }
}
