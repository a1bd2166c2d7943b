package io.pretext.data.features;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns the raw values of one row into a {@link FeatureOutcome} by the rules of
 * {@link FeatureIssueReason}: every column is checked, each reason is recorded once with the first
 * column that has it, and the row is kept unless one of its reasons drops it under
 * {@code data.missing}. Kept missing and non-finite values become {@code NaN}.
 */
final class FeatureRows implements Serializable {

    private static final long serialVersionUID = 1L;
    /** A plain decimal number: no hex, no type suffix, no thousands separators. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Set<String> MISSING = Set.of("", "na", "n/a", "null", "?");
    private static final Set<String> NON_FINITE = Set.of("nan", "+nan", "-nan", "inf", "+inf", "-inf", "infinity",
            "+infinity", "-infinity");

    private final List<String> columns;
    private final boolean imputesMissing;

    FeatureRows(List<String> columns, boolean imputesMissing) {
        this.columns = List.copyOf(columns);
        this.imputesMissing = imputesMissing;
    }

    /** A row whose values are text (CSV fields, trimmed), one per feature column in order. */
    FeatureOutcome fromText(String id, String label, String[] fields) {
        Issues issues = new Issues(id);
        float[] values = new float[columns.size()];
        for (int c = 0; c < values.length; c++) {
            String text = fields[c];
            String lower = text.toLowerCase(Locale.ROOT);
            if (MISSING.contains(lower)) {
                issues.add(FeatureIssueReason.MISSING_VALUE, c, text);
                values[c] = Float.NaN;
            } else if (NON_FINITE.contains(lower)) {
                issues.add(FeatureIssueReason.NON_FINITE, c, text);
                values[c] = Float.NaN;
            } else if (!DECIMAL.matcher(text).matches()) {
                issues.add(FeatureIssueReason.UNPARSEABLE, c, text);
            } else {
                values[c] = checkedFloat(Double.parseDouble(text), c, text, issues);
            }
        }
        return issues.outcome(label, values);
    }

    /** A row whose values are numbers (Parquet, cast to double), {@code null} where missing. */
    FeatureOutcome fromNumbers(String id, String label, Double[] numbers) {
        Issues issues = new Issues(id);
        float[] values = new float[columns.size()];
        for (int c = 0; c < values.length; c++) {
            if (numbers[c] == null) {
                issues.add(FeatureIssueReason.MISSING_VALUE, c, "null");
                values[c] = Float.NaN;
            } else {
                values[c] = checkedFloat(numbers[c], c, String.valueOf(numbers[c]), issues);
            }
        }
        return issues.outcome(label, values);
    }

    /** A CSV line that cannot be split into the header's fields. */
    FeatureOutcome malformed(String id, String detail) {
        Issues issues = new Issues(id);
        issues.list.add(new FeatureIssue(id, FeatureIssueReason.MALFORMED_ROW, detail));
        issues.rejected = true;
        return issues.outcome(null, null);
    }

    /** The value as a float, or NaN with a non_finite issue when it is NaN, infinite or beyond the float range. */
    private static float checkedFloat(double value, int column, String text, Issues issues) {
        float f = (float) value;
        if (Float.isFinite(f)) {
            return f;
        }
        issues.add(FeatureIssueReason.NON_FINITE, column, text);
        return Float.NaN;
    }

    /** The issues of one row, at most one per reason, in reason order. */
    private final class Issues {
        private final String id;
        private final String[] firstDetail = new String[FeatureIssueReason.values().length];
        private final List<FeatureIssue> list = new ArrayList<>(1);
        private boolean rejected;

        Issues(String id) {
            this.id = id;
        }

        void add(FeatureIssueReason reason, int column, String text) {
            if (firstDetail[reason.ordinal()] == null) {
                firstDetail[reason.ordinal()] = "column " + columns.get(column) + ": '" + text + "'";
            }
            rejected |= reason.rejects(imputesMissing);
        }

        FeatureOutcome outcome(String label, float[] values) {
            for (FeatureIssueReason reason : FeatureIssueReason.values()) {
                if (firstDetail[reason.ordinal()] != null) {
                    list.add(new FeatureIssue(id, reason, firstDetail[reason.ordinal()]));
                }
            }
            return FeatureOutcome.of(id, rejected ? null : new FeatureRecord(id, label, values), list);
        }
    }
}
