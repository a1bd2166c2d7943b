package io.pretext.data.text;

/**
 * What was wrong with a text input. Rejections drop the document; repairs keep it changed.
 * {@link #key()} is the stable name used in reports.
 */
public enum TextIssueReason {
    /** More bytes than {@code data.maxDocumentBytes}: rejected. */
    OVERSIZE("oversize", true),
    /** Binary content: a NUL byte, or more than 10% control characters (other than tab, LF, CR, FF, VT, ESC): rejected. */
    BINARY("binary", true),
    /** More than {@code data.maxInvalidUtf8Fraction} of the bytes are in malformed UTF-8 sequences: rejected. */
    INVALID_UTF8("invalid_utf8", true),
    /** No text but whitespace (zero bytes, blank, or a null value): rejected. */
    EMPTY("empty", true),
    /** A JSONL line that is not a JSON object with a string text field: rejected. */
    MALFORMED_RECORD("malformed_record", true),
    /** Reading failed (I/O error, file vanished, permission denied): rejected. */
    UNREADABLE("unreadable", true),
    /** Some malformed UTF-8 bytes (within the allowed fraction) were replaced by U+FFFD: kept. */
    UTF8_REPLACED("utf8_replaced", false),
    /** Lines longer than {@code data.maxLineChars} were cut: kept. */
    LINE_TRUNCATED("line_truncated", false);

    private final String key;
    private final boolean rejects;

    TextIssueReason(String key, boolean rejects) {
        this.key = key;
        this.rejects = rejects;
    }

    /** Stable snake_case name used in reports, metrics and quarantine files. */
    public String key() {
        return key;
    }

    /** Whether an input with this issue is left out of the corpus. */
    public boolean rejects() {
        return rejects;
    }
}
