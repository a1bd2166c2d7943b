package io.pretext.data.features;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * What reading one row gives: a record (possibly with imputed values) or none, and its issues. The
 * element of a feature corpus's persisted RDD. A plain class: Spark's Kryo (4.x) cannot build records,
 * so {@code DataKryoRegistrator} writes it field by field.
 */
public final class FeatureOutcome implements Serializable {

    private final String id;
    private final FeatureRecord record;
    private final List<FeatureIssue> issues;

    private FeatureOutcome(String id, FeatureRecord record, List<FeatureIssue> issues) {
        this.id = Objects.requireNonNull(id, "id");
        this.record = record;
        this.issues = List.copyOf(issues);
    }

    /** An outcome as read back from storage or a shuffle. */
    public static FeatureOutcome of(String id, FeatureRecord record, List<FeatureIssue> issues) {
        return new FeatureOutcome(id, record, issues);
    }

    public String id() {
        return id;
    }

    /** The usable row, or {@code null} when it was dropped. */
    public FeatureRecord record() {
        return record;
    }

    /** The row's issues, one per reason, in {@link FeatureIssueReason} order. */
    public List<FeatureIssue> issues() {
        return issues;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureOutcome f && f.id.equals(id) && Objects.equals(f.record, record)
                && f.issues.equals(issues);
    }

    @Override
    public int hashCode() {
        return id.hashCode() * 31 + issues.hashCode();
    }

    @Override
    public String toString() {
        return "FeatureOutcome[" + id + (record == null ? " dropped" : " usable") + ", issues=" + issues + "]";
    }
}
