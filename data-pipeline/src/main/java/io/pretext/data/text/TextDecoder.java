package io.pretext.data.text;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns the bytes (or text) of one input into a {@link TextOutcome}, by these rules, in order:
 * <ol>
 *   <li>more than {@code maxDocumentBytes} bytes: rejected, {@code oversize};</li>
 *   <li>zero bytes: rejected, {@code empty};</li>
 *   <li>a NUL byte, or more than {@value #BINARY_CONTROL_PERCENT}% of the bytes are control characters other
 *       than tab, LF, VT, FF, CR and ESC: rejected, {@code binary};</li>
 *   <li>strict UTF-8 decoding; every malformed sequence becomes U+FFFD. More than
 *       {@code maxInvalidUtf8Fraction} of the bytes malformed: rejected, {@code invalid_utf8}; else kept and
 *       counted as {@code utf8_replaced};</li>
 *   <li>a leading byte-order mark is dropped; lines longer than {@code maxLineChars} are cut to that length,
 *       counted as {@code line_truncated};</li>
 *   <li>sentences by {@link SentenceSplitter}; none (only whitespace): rejected, {@code empty}.</li>
 * </ol>
 * Text that arrives already decoded (a JSONL field) goes through the same rules from the binary check on.
 * No input makes it throw.
 */
final class TextDecoder implements Serializable {

    static final int BINARY_CONTROL_PERCENT = 10;

    private final TextDataConfig config;

    TextDecoder(TextDataConfig config) {
        this.config = config;
    }

    TextDataConfig config() {
        return config;
    }

    TextOutcome decode(String id, String label, byte[] bytes) {
        if (bytes.length > config.maxDocumentBytes()) {
            return oversize(id, bytes.length);
        }
        if (bytes.length == 0) {
            return TextOutcome.rejected(new TextIssue(id, TextIssueReason.EMPTY, "0 bytes"));
        }
        String binary = binaryBytes(bytes);
        if (binary != null) {
            return TextOutcome.rejected(new TextIssue(id, TextIssueReason.BINARY, binary));
        }
        List<TextIssue> issues = new ArrayList<>(2);
        Utf8 utf8 = Utf8.decode(bytes, 0, bytes.length);
        TextIssue utf8Issue = utf8Issue(id, utf8, bytes.length);
        if (utf8Issue != null) {
            if (utf8Issue.reason().rejects()) {
                return TextOutcome.rejected(utf8Issue);
            }
            issues.add(utf8Issue);
        }
        return decodeText(id, label, utf8.text(), issues);
    }

    /** Rule 3 onwards, for text already decoded; {@code issues} holds the repairs found before. */
    TextOutcome decodeText(String id, String label, String text, List<TextIssue> issues) {
        String binary = binaryChars(text);
        if (binary != null) {
            return TextOutcome.rejected(new TextIssue(id, TextIssueReason.BINARY, binary));
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        List<TextIssue> all = new ArrayList<>(issues);
        text = truncateLongLines(id, text, all);
        List<String> sentences = SentenceSplitter.split(text);
        if (sentences.isEmpty()) {
            return TextOutcome.rejected(new TextIssue(id, TextIssueReason.EMPTY,
                    text.length() + " characters, all whitespace"));
        }
        return new TextOutcome(id, new TextDocument(id, label, sentences), all);
    }

    TextOutcome oversize(String id, long bytes) {
        return TextOutcome.rejected(new TextIssue(id, TextIssueReason.OVERSIZE,
                bytes + " bytes, more than data.maxDocumentBytes = " + config.maxDocumentBytes()));
    }

    /** The UTF-8 issue of a decoded input: null when clean, a repair within the allowed fraction, else a reject. */
    TextIssue utf8Issue(String id, Utf8 utf8, int length) {
        if (utf8.malformedBytes() == 0) {
            return null;
        }
        double fraction = utf8.malformedBytes() / (double) length;
        String share = utf8.malformedBytes() + " of " + length + " bytes ("
                + String.format(Locale.ROOT, "%.2f%%", 100 * fraction) + ") are malformed UTF-8, first at byte "
                + utf8.firstMalformed();
        if (fraction > config.maxInvalidUtf8Fraction()) {
            return new TextIssue(id, TextIssueReason.INVALID_UTF8, share + ", more than data.maxInvalidUtf8Fraction = "
                    + config.maxInvalidUtf8Fraction());
        }
        return new TextIssue(id, TextIssueReason.UTF8_REPLACED, share + ", replaced by U+FFFD");
    }

    private String truncateLongLines(String id, String text, List<TextIssue> issues) {
        int limit = config.maxLineChars();
        if (text.length() <= limit) {
            return text;
        }
        StringBuilder out = null;
        int cut = 0;
        int longest = 0;
        int start = 0;
        int n = text.length();
        while (start <= n) {
            int end = start;
            while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                end++;
            }
            int length = end - start;
            if (length > limit) {
                if (out == null) {
                    out = new StringBuilder(n).append(text, 0, start);
                }
                int keep = start + limit;
                if (Character.isHighSurrogate(text.charAt(keep - 1))) {
                    keep--; // never split a surrogate pair
                }
                out.append(text, start, keep);
                cut++;
                longest = Math.max(longest, length);
            } else if (out != null) {
                out.append(text, start, end);
            }
            if (out != null && end < n) {
                out.append(text.charAt(end));
            }
            start = end + 1;
        }
        if (out == null) {
            return text;
        }
        issues.add(new TextIssue(id, TextIssueReason.LINE_TRUNCATED, cut + (cut == 1 ? " line" : " lines")
                + " cut to data.maxLineChars = " + limit + " characters (longest " + longest + ")"));
        return out.toString();
    }

    static String binaryBytes(byte[] b) {
        int controls = 0;
        for (int i = 0; i < b.length; i++) {
            int c = b[i] & 0xFF;
            if (c == 0) {
                return "NUL byte at offset " + i;
            }
            if (isBinaryControl(c)) {
                controls++;
            }
        }
        return controlShare(controls, b.length, "bytes");
    }

    static String binaryChars(CharSequence s) {
        int controls = 0;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return "NUL character at offset " + i;
            }
            if (isBinaryControl(c)) {
                controls++;
            }
        }
        return controlShare(controls, n, "characters");
    }

    private static String controlShare(int controls, int total, String unit) {
        if (total > 0 && controls * 100L > (long) total * BINARY_CONTROL_PERCENT) {
            return controls + " of " + total + " " + unit + " are control characters (more than "
                    + BINARY_CONTROL_PERCENT + "%)";
        }
        return null;
    }

    private static boolean isBinaryControl(int c) {
        return (c < 0x20 && c != '\t' && c != '\n' && c != 0x0B && c != '\f' && c != '\r' && c != 0x1B) || c == 0x7F;
    }

    /**
     * Strict UTF-8 decoding that replaces every malformed sequence by U+FFFD and counts its bytes.
     *
     * @param text           the decoded text
     * @param malformedBytes bytes inside malformed sequences
     * @param firstMalformed offset of the first malformed byte, -1 if none
     */
    record Utf8(String text, int malformedBytes, int firstMalformed) {

        static Utf8 decode(byte[] bytes, int offset, int length) {
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            ByteBuffer in = ByteBuffer.wrap(bytes, offset, length);
            CharBuffer out = CharBuffer.allocate(length + 1); // UTF-8 never needs more chars than bytes
            int malformed = 0;
            int first = -1;
            while (true) {
                CoderResult r = decoder.decode(in, out, true);
                if (r.isUnderflow()) {
                    decoder.flush(out);
                    break;
                }
                if (r.isOverflow()) {
                    throw new IllegalStateException("UTF-8 decoding needed more characters than bytes");
                }
                if (first < 0) {
                    first = in.position() - offset;
                }
                malformed += r.length();
                in.position(in.position() + r.length());
                out.put('\uFFFD');
            }
            out.flip();
            return new Utf8(out.toString(), malformed, first);
        }
    }
}
