package io.pretext.data.text;

import java.io.Serializable;
import java.util.List;

/**
 * How a text corpus is read and validated. YAML section {@code data:}.
 *
 * @param format                 {@code auto}, {@code folder} (one document per file), {@code jsonl} (one JSON
 *                               object per line) or {@code parquet}
 * @param textField              JSONL field / Parquet column holding the document text (string or binary)
 * @param idField                optional JSONL field / Parquet column with the document id; without it the id is
 *                               {@code file#L<line>} (JSONL) or {@code file#<row>} (Parquet)
 * @param labelField             optional JSONL field / Parquet column with a label (folders: first-level
 *                               sub-folder)
 * @param maxDocumentBytes       documents (files, JSONL lines, Parquet values) with more bytes are rejected as
 *                               {@code oversize}, unread where the size is known first
 * @param maxLineChars           longer lines are cut to this many characters and counted as
 *                               {@code line_truncated}; the document is kept
 * @param maxInvalidUtf8Fraction a document whose share of bytes in malformed UTF-8 sequences is at most this has
 *                               them replaced by U+FFFD (counted as {@code utf8_replaced}, which the tokenizer
 *                               drops); above it the document is rejected as {@code invalid_utf8}
 * @param partitions             partitions of the decoded corpus; 0 picks from the input size
 * @param rejectSampleSize       how many issues the report lists by id
 */
public record TextDataConfig(
        String format,
        String textField,
        String idField,
        String labelField,
        long maxDocumentBytes,
        int maxLineChars,
        double maxInvalidUtf8Fraction,
        int partitions,
        int rejectSampleSize) implements Serializable {

    public static final List<String> FORMATS = List.of("auto", "folder", "jsonl", "parquet");
    private static final String FIX = " (set it in the data: section)";

    public TextDataConfig {
        require(FORMATS.contains(format), "format", format, "must be one of " + FORMATS);
        require(isName(textField), "textField", textField, "must be a non-blank field name");
        require(isName(idField), "idField", idField, "must be a non-blank field name");
        require(isName(labelField), "labelField", labelField, "must be a non-blank field name");
        require(maxDocumentBytes >= 1 && maxDocumentBytes <= Integer.MAX_VALUE - 16, "maxDocumentBytes",
                maxDocumentBytes, "must be in [1, " + (Integer.MAX_VALUE - 16) + "]");
        require(maxLineChars >= 1, "maxLineChars", maxLineChars, "must be >= 1");
        require(maxInvalidUtf8Fraction >= 0 && maxInvalidUtf8Fraction <= 1, "maxInvalidUtf8Fraction",
                maxInvalidUtf8Fraction, "must be in [0, 1] (0 rejects any malformed byte)");
        require(partitions >= 0, "partitions", partitions, "must be >= 0 (0 = chosen from the input size)");
        require(rejectSampleSize >= 0, "rejectSampleSize", rejectSampleSize, "must be >= 0");
    }

    /**
     * Format detected; fields {@code text}, {@code id}, {@code label}; 32 MiB per document; lines cut at
     * 1,000,000 characters (a whole State of the Union address on one line is 233,000); up to 1% malformed
     * UTF-8 bytes replaced.
     */
    public static TextDataConfig defaults() {
        return new TextDataConfig("auto", "text", "id", "label", 32L << 20, 1_000_000, 0.01, 0, 100);
    }

    /** The same settings reading the given format. */
    public TextDataConfig withFormat(String format) {
        return new TextDataConfig(format, textField, idField, labelField, maxDocumentBytes, maxLineChars,
                maxInvalidUtf8Fraction, partitions, rejectSampleSize);
    }

    /** The same settings with other limits. */
    public TextDataConfig withLimits(long maxDocumentBytes, int maxLineChars, double maxInvalidUtf8Fraction) {
        return new TextDataConfig(format, textField, idField, labelField, maxDocumentBytes, maxLineChars,
                maxInvalidUtf8Fraction, partitions, rejectSampleSize);
    }

    private static boolean isName(String name) {
        return name != null && !name.isBlank();
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            String shown = value instanceof String ? "\"" + value + "\"" : String.valueOf(value);
            throw new IllegalArgumentException("data." + key + " " + rule + ", got " + shown + FIX);
        }
    }
}
