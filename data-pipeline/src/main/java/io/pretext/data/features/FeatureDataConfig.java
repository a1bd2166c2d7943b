package io.pretext.data.features;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;

/**
 * How a corpus of numeric feature vectors is read and validated. YAML section {@code data:}.
 *
 * <p>Rows with bad values follow {@code missing}: a missing ({@code missing_value}) or non-finite
 * ({@code non_finite}) value drops the row under {@code skip}, or is replaced under {@code mean} by
 * the column's mean over the training data (0 after standardisation, see {@link FeatureStats}); a
 * value that is not a number ({@code unparseable}) or a CSV line with the wrong number of fields
 * ({@code malformed_row}) always drops the row. See {@link FeatureIssueReason}.
 *
 * @param format           {@code auto}, {@code csv} (files {@code *.csv}, {@code *.csv.gz}, header row first)
 *                         or {@code parquet}
 * @param columns          the feature columns in order; empty = every numeric column (Parquet) or every
 *                         header column (CSV) except the id and label columns
 * @param idColumn         optional column with the row id; without it the id is {@code <file>@<byte offset>}
 *                         (CSV) or {@code <file>#<row>} (Parquet)
 * @param labelColumn      optional column with a label (e.g. normal / anomaly, for evaluation), read as text
 * @param missing          {@code skip} or {@code mean}: what a missing or non-finite value does
 * @param delimiter        CSV field separator, one character ({@code ","}, {@code ";"}, tab)
 * @param stdFloor         standardisation divides by {@code max(std, stdFloor)}, so a constant column does
 *                         not divide by 0; {@code > 0}
 * @param partitions       partitions of the read corpus; 0 keeps the input's
 * @param rejectSampleSize how many issues the report lists by id
 */
public record FeatureDataConfig(
        String format,
        List<String> columns,
        String idColumn,
        String labelColumn,
        String missing,
        String delimiter,
        double stdFloor,
        int partitions,
        int rejectSampleSize) implements Serializable {

    public static final List<String> FORMATS = List.of("auto", "csv", "parquet");
    public static final List<String> MISSING_RULES = List.of("skip", "mean");
    private static final String FIX = " (set it in the data: section)";

    public FeatureDataConfig {
        require(FORMATS.contains(format), "format", format, "must be one of " + FORMATS);
        require(columns != null, "columns", columns, "must be a list (empty = all numeric columns)");
        columns = List.copyOf(columns);
        require(columns.stream().allMatch(FeatureDataConfig::isName), "columns", columns,
                "must hold non-blank column names");
        require(new HashSet<>(columns).size() == columns.size(), "columns", columns, "must not repeat a column");
        require(isName(idColumn), "idColumn", idColumn, "must be a non-blank column name");
        require(isName(labelColumn), "labelColumn", labelColumn, "must be a non-blank column name");
        require(!idColumn.equals(labelColumn), "labelColumn", labelColumn, "must differ from data.idColumn");
        require(!columns.contains(idColumn), "columns", columns, "must not list the id column \"" + idColumn + "\"");
        require(!columns.contains(labelColumn), "columns", columns,
                "must not list the label column \"" + labelColumn + "\"");
        require(MISSING_RULES.contains(missing), "missing", missing, "must be one of " + MISSING_RULES);
        require(delimiter != null && delimiter.length() == 1 && "\" \n\r".indexOf(delimiter.charAt(0)) < 0,
                "delimiter", delimiter, "must be one character other than a quote, a space or a line break");
        require(stdFloor > 0 && Double.isFinite(stdFloor), "stdFloor", stdFloor, "must be a finite number > 0");
        require(partitions >= 0, "partitions", partitions, "must be >= 0 (0 = as the input is split)");
        require(rejectSampleSize >= 0, "rejectSampleSize", rejectSampleSize, "must be >= 0");
    }

    /** Format detected, all numeric columns, columns {@code id} and {@code label}, rows with bad values skipped. */
    public static FeatureDataConfig defaults() {
        return new FeatureDataConfig("auto", List.of(), "id", "label", "skip", ",", 1e-6, 0, 100);
    }

    /** The same settings reading these feature columns. */
    public FeatureDataConfig withColumns(List<String> columns) {
        return new FeatureDataConfig(format, columns, idColumn, labelColumn, missing, delimiter, stdFloor, partitions,
                rejectSampleSize);
    }

    /** The same settings with another missing-value rule. */
    public FeatureDataConfig withMissing(String missing) {
        return new FeatureDataConfig(format, columns, idColumn, labelColumn, missing, delimiter, stdFloor, partitions,
                rejectSampleSize);
    }

    /** Whether missing and non-finite values are replaced by the column mean (else their rows are dropped). */
    public boolean imputesMissing() {
        return missing.equals("mean");
    }

    char delimiterChar() {
        return delimiter.charAt(0);
    }

    private static boolean isName(String name) {
        return name != null && !name.isBlank();
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            String shown = value instanceof String || value == null ? "\"" + value + "\"" : String.valueOf(value);
            throw new IllegalArgumentException("data." + key + " " + rule + ", got " + shown + FIX);
        }
    }
}
