package io.pretext.data.features;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One usable row of a feature corpus: the values of the configured columns, in order, as read
 * (not standardised). Under {@code data.missing: mean} a missing or non-finite value is stored as
 * {@code NaN}, which {@link FeatureStats} replaces by the column mean.
 *
 * @param id     stable identity of the row inside its corpus (id column, or file and position)
 * @param label  the label column's value, or {@code null}
 * @param values one value per feature column
 */
public record FeatureRecord(String id, String label, float[] values) implements Serializable {

    public FeatureRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(values, "values");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureRecord r && id.equals(r.id) && Objects.equals(label, r.label)
                && Arrays.equals(values, r.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, label) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "FeatureRecord[id=" + id + ", label=" + label + ", values=" + Arrays.toString(values) + "]";
    }
}
