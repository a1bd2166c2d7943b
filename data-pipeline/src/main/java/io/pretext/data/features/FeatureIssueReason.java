package io.pretext.data.features;

/**
 * What was wrong with a row of a feature corpus. {@link #key()} is the stable name used in reports. A row
 * is counted once under each reason it has, whatever the number of columns with it.
 */
public enum FeatureIssueReason {
    /** A CSV line whose number of fields differs from the header's, or with an unclosed quote: dropped. */
    MALFORMED_ROW("malformed_row", true),
    /** A value that is not a decimal number (e.g. {@code abc}, {@code 1.5f}, {@code 0x10}): dropped. */
    UNPARSEABLE("unparseable", true),
    /**
     * {@code NaN}, {@code Inf}, {@code -Infinity}, or a number beyond the float range: dropped under
     * {@code data.missing: skip}, replaced by the column mean under {@code mean}.
     */
    NON_FINITE("non_finite", false),
    /**
     * An empty field, {@code NA}, {@code N/A}, {@code null}, {@code ?} (any case) or a Parquet null: dropped
     * under {@code data.missing: skip}, replaced by the column mean under {@code mean}.
     */
    MISSING_VALUE("missing_value", false);

    private final String key;
    private final boolean alwaysRejects;

    FeatureIssueReason(String key, boolean alwaysRejects) {
        this.key = key;
        this.alwaysRejects = alwaysRejects;
    }

    /** Stable snake_case name used in reports, metrics and quarantine files. */
    public String key() {
        return key;
    }

    /** Whether a row with this issue is dropped under the given {@code data.missing} rule. */
    public boolean rejects(boolean imputesMissing) {
        return alwaysRejects || !imputesMissing;
    }
}
