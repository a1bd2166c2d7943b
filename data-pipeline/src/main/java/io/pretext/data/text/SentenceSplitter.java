package io.pretext.data.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A rule-based sentence splitter for English prose.
 *
 * <p>Rules: a line break always ends a sentence (documents that keep one paragraph, or one sentence,
 * per line). Inside a line, a sentence ends after a run of {@code . ! ?} or an ellipsis (plus closing
 * quotes or brackets) that is followed by whitespace and then an upper-case letter, possibly behind
 * opening quotes or brackets. A single period does not end a sentence after a known abbreviation
 * ({@code Mr. Dr. Gen. Jan. Inc. vs.} ...), after a single letter (the initial in "John F. Kennedy"),
 * or after an initialism with inner periods ({@code U.S.}, {@code e.g.}, {@code a.m.}); so "in the U.S.
 * The next" stays one sentence, the price of never cutting "the U.S. Congress". Sentences are stripped;
 * blank ones are dropped.
 */
public final class SentenceSplitter {

    static final Set<String> ABBREVIATIONS = Set.of(
            "Mr", "Mrs", "Ms", "Messrs", "Mme", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Ft",
            "Gen", "Col", "Lt", "Capt", "Cmdr", "Sgt", "Maj", "Adm", "Gov", "Sen", "Rep", "Hon", "Rev", "Pres",
            "Supt", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
            "No", "Nos", "Vol", "Vols", "pp", "Fig", "Figs", "vs", "viz", "cf", "approx", "Inc", "Ltd", "Co",
            "Corp", "Bros", "Dept", "Univ", "Ave", "Blvd", "Rd");

    private SentenceSplitter() {
    }

    /** The sentences of {@code text}, in order. */
    public static List<String> split(CharSequence text) {
        List<String> out = new ArrayList<>();
        int n = text.length();
        int lineStart = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || text.charAt(i) == '\n' || text.charAt(i) == '\r') {
                splitLine(text, lineStart, i, out);
                lineStart = i + 1;
            }
        }
        return out;
    }

    private static void splitLine(CharSequence t, int start, int end, List<String> out) {
        int sentence = start;
        int i = start;
        while (i < end) {
            if (!isTerminator(t.charAt(i))) {
                i++;
                continue;
            }
            int j = i + 1;
            while (j < end && isTerminator(t.charAt(j))) {
                j++;
            }
            boolean singlePeriod = j == i + 1 && t.charAt(i) == '.';
            while (j < end && isCloser(t.charAt(j))) {
                j++;
            }
            int next = j;
            while (next < end && Character.isWhitespace(t.charAt(next))) {
                next++;
            }
            int letter = next;
            while (letter < end && isOpener(t.charAt(letter))) {
                letter++;
            }
            if (next > j && letter < end && Character.isUpperCase(t.charAt(letter))
                    && !(singlePeriod && isAbbreviation(t, sentence, i))) {
                emit(t, sentence, j, out);
                sentence = next;
            }
            i = j;
        }
        emit(t, sentence, end, out);
    }

    /** Whether the word before the period at {@code dot} is an abbreviation, an initial or an initialism. */
    static boolean isAbbreviation(CharSequence t, int from, int dot) {
        int w = dot;
        while (w > from && (Character.isLetter(t.charAt(w - 1)) || t.charAt(w - 1) == '.')) {
            w--;
        }
        if (w == dot) {
            return false;
        }
        String word = t.subSequence(w, dot).toString();
        if (ABBREVIATIONS.contains(word)) {
            return true;
        }
        // "F" (an initial) or "U.S" / "e.g" / "a.m": letters one at a time between periods
        for (int k = 0; k < word.length(); k++) {
            boolean letterSlot = k % 2 == 0;
            if (letterSlot != Character.isLetter(word.charAt(k))) {
                return false;
            }
        }
        return word.length() % 2 == 1;
    }

    private static boolean isTerminator(char c) {
        return c == '.' || c == '!' || c == '?' || c == '\u2026';
    }

    private static boolean isCloser(char c) {
        return c == '"' || c == '\'' || c == ')' || c == ']' || c == '\u201D' || c == '\u2019' || c == '\u00BB';
    }

    private static boolean isOpener(char c) {
        return c == '"' || c == '\'' || c == '(' || c == '[' || c == '\u201C' || c == '\u2018' || c == '\u00AB';
    }

    private static void emit(CharSequence t, int start, int end, List<String> out) {
        while (start < end && Character.isWhitespace(t.charAt(start))) {
            start++;
        }
        while (end > start && Character.isWhitespace(t.charAt(end - 1))) {
            end--;
        }
        if (start < end) {
            out.add(t.subSequence(start, end).toString());
        }
    }
}
