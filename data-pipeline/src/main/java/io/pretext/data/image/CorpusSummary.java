package io.pretext.data.image;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Partial aggregate over decode results: counts, the first rejects by id and the labels seen.
 * Built by an action over the persisted results, so retried or recomputed tasks are not counted twice.
 */
final class CorpusSummary implements Serializable {

    /** Rejects by id, then reason; serializable because the sample set travels between executors and driver. */
    static final class ById implements Comparator<ImageReject>, Serializable {
        @Override
        public int compare(ImageReject a, ImageReject b) {
            int byId = a.id().compareTo(b.id());
            return byId != 0 ? byId : a.reason().compareTo(b.reason());
        }
    }

    private final int sampleSize;
    private long read;
    private final long[] rejects = new long[RejectReason.values().length];
    private final TreeSet<ImageReject> samples = new TreeSet<>(new ById());
    private final TreeSet<String> labels = new TreeSet<>();

    CorpusSummary(int sampleSize) {
        this.sampleSize = sampleSize;
    }

    CorpusSummary add(DecodeResult result) {
        read++;
        if (result instanceof ImageRecord record) {
            if (record.label() != null) {
                labels.add(record.label());
            }
        } else if (result instanceof ImageReject reject) {
            rejects[reject.reason().ordinal()]++;
            offer(reject);
        }
        return this;
    }

    CorpusSummary merge(CorpusSummary other) {
        read += other.read;
        for (int i = 0; i < rejects.length; i++) {
            rejects[i] += other.rejects[i];
        }
        other.samples.forEach(this::offer);
        labels.addAll(other.labels);
        return this;
    }

    private void offer(ImageReject reject) {
        if (sampleSize == 0) {
            return;
        }
        samples.add(reject);
        if (samples.size() > sampleSize) {
            samples.pollLast();
        }
    }

    RejectReport report() {
        Map<RejectReason, Long> counts = new EnumMap<>(RejectReason.class);
        long rejected = 0;
        for (RejectReason reason : RejectReason.values()) {
            long n = rejects[reason.ordinal()];
            if (n > 0) {
                counts.put(reason, n);
                rejected += n;
            }
        }
        return new RejectReport(read, read - rejected, counts, new ArrayList<>(samples));
    }

    /** Labels in natural order: numerically when every label is an integer, else as strings. */
    java.util.List<String> labels() {
        ArrayList<String> sorted = new ArrayList<>(labels);
        if (sorted.stream().allMatch(s -> s.matches("-?\\d{1,18}"))) {
            sorted.sort(Comparator.comparingLong(Long::parseLong));
        }
        return sorted;
    }
}
