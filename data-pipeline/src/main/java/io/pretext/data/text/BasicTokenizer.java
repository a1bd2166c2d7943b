package io.pretext.data.text;

import java.nio.CharBuffer;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * BERT's basic (pre-WordPiece) tokenizer for uncased models, as the reference implementations apply it:
 * <ol>
 *   <li>clean: drop NUL, U+FFFD and "other" characters (Unicode categories Cc, Cf, Cs, Co, Cn, except tab,
 *       LF and CR); tab, LF, CR and space/line/paragraph separators (Zs, Zl, Zp) become word breaks;</li>
 *   <li>CJK ideographs (the CJK Unified Ideographs blocks and extensions A-E, compatibility ideographs)
 *       become words of their own;</li>
 *   <li>strip accents (NFD, drop Mn) then lowercase, per word;</li>
 *   <li>split punctuation off as one-character words: ASCII punctuation ({@code !"#$%&'()*+,-./:;<=>?@[\]^_`{|}~})
 *       and every character of Unicode category P*.</li>
 * </ol>
 * Pure-ASCII words take a table-driven path without allocation; words with other characters go
 * through {@link Normalizer}. Where the reference implementations differ, this follows the Hugging Face
 * BertNormalizer/BertPreTokenizer (strip accents before lowercasing; Zl/Zp are whitespace; Co/Cn are
 * dropped) rather than Google's original tokenizer (lowercase first, only Cc/Cf dropped); for the CJK
 * ranges it follows Google's (Hugging Face starts extension E at U+2B920 instead of U+2B820). Unicode
 * categories are Java's (Unicode 13 in Java 17), so characters assigned in later Unicode versions count
 * as unassigned and are dropped.
 *
 * <p>Not thread-safe: it reuses its buffers. Use one instance per thread.
 */
public final class BasicTokenizer {

    /** Receives each word as a range of a buffer that is only valid during the call. */
    @FunctionalInterface
    public interface WordSink {
        void accept(char[] chars, int start, int end);
    }

    private static final byte DROP = 0;
    private static final byte SPACE = 1;
    private static final byte PUNCT = 2;
    private static final byte WORD = 3;
    private static final byte[] ASCII = new byte[128];
    private static final char[] LOWER = new char[128];

    static {
        for (int c = 0; c < 128; c++) {
            LOWER[c] = (char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
            if (c == '\t' || c == '\n' || c == '\r' || c == ' ') {
                ASCII[c] = SPACE;
            } else if (c < 0x20 || c == 0x7F) {
                ASCII[c] = DROP;
            } else if (isAsciiPunctuation(c)) {
                ASCII[c] = PUNCT;
            } else {
                ASCII[c] = WORD;
            }
        }
    }

    private char[] word = new char[64];
    private int length;
    private boolean plainAscii = true;
    private char[] normalized = new char[64];

    /** Calls {@code sink} once per basic token of {@code text}, in order. */
    public void split(CharSequence text, WordSink sink) {
        length = 0;
        plainAscii = true;
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (c < 128) {
                i++;
                switch (ASCII[c]) {
                    case WORD -> append(LOWER[c]);
                    case SPACE -> flush(sink);
                    case PUNCT -> {
                        flush(sink);
                        word[0] = c;
                        sink.accept(word, 0, 1);
                    }
                    default -> {
                        // DROP: control characters vanish without breaking the word
                    }
                }
                continue;
            }
            int cp = Character.codePointAt(text, i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (cp == 0xFFFD || isOther(type)) {
                continue;
            }
            if (type == Character.SPACE_SEPARATOR || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                flush(sink);
            } else if (isCjk(cp)) {
                flush(sink);
                appendCodePoint(cp);
                flush(sink);
            } else {
                appendCodePoint(cp);
            }
        }
        flush(sink);
    }

    /** The basic tokens of {@code text} as strings (allocates; for tests and vocabulary building). */
    public List<String> words(CharSequence text) {
        List<String> out = new ArrayList<>();
        split(text, (chars, start, end) -> out.add(new String(chars, start, end - start)));
        return out;
    }

    /** ASCII punctuation as BERT counts it: every non-alphanumeric printable ASCII character but space. */
    static boolean isAsciiPunctuation(int c) {
        return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
    }

    static boolean isPunctuation(int cp) {
        if (cp < 128) {
            return isAsciiPunctuation(cp);
        }
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                    Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** The CJK ideograph ranges of BERT's {@code _is_chinese_char}. */
    static boolean isCjk(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B820 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }

    private static boolean isOther(int type) {
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
                || type == Character.PRIVATE_USE || type == Character.UNASSIGNED;
    }

    private void append(char c) {
        if (length == word.length) {
            word = Arrays.copyOf(word, length * 2);
        }
        word[length++] = c;
    }

    private void appendCodePoint(int cp) {
        plainAscii = false;
        if (Character.isBmpCodePoint(cp)) {
            append((char) cp);
        } else {
            append(Character.highSurrogate(cp));
            append(Character.lowSurrogate(cp));
        }
    }

    private void flush(WordSink sink) {
        if (length == 0) {
            return;
        }
        if (plainAscii) {
            sink.accept(word, 0, length);
        } else {
            flushNormalized(sink);
        }
        length = 0;
        plainAscii = true;
    }

    /** NFD, drop non-spacing marks, lowercase, then split punctuation that normalisation may have produced. */
    private void flushNormalized(WordSink sink) {
        String nfd = Normalizer.normalize(CharBuffer.wrap(word, 0, length), Normalizer.Form.NFD);
        StringBuilder kept = new StringBuilder(nfd.length());
        for (int i = 0; i < nfd.length(); ) {
            int cp = nfd.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.getType(cp) != Character.NON_SPACING_MARK) {
                kept.appendCodePoint(cp);
            }
        }
        String lower = kept.toString().toLowerCase(Locale.ROOT);
        int n = lower.length();
        if (normalized.length < n) {
            normalized = new char[Math.max(n, normalized.length * 2)];
        }
        lower.getChars(0, n, normalized, 0);
        int start = 0;
        for (int i = 0; i < n; ) {
            int cp = lower.codePointAt(i);
            int next = i + Character.charCount(cp);
            if (isPunctuation(cp)) {
                if (start < i) {
                    sink.accept(normalized, start, i);
                }
                sink.accept(normalized, i, next);
                start = next;
            }
            i = next;
        }
        if (start < n) {
            sink.accept(normalized, start, n);
        }
    }
}
