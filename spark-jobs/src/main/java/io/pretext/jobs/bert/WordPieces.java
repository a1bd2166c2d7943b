package io.pretext.jobs.bert;

import io.pretext.data.text.Vocabulary;

/** WordPiece ids back to readable text: {@code ##} continuations are glued to the piece before them. */
final class WordPieces {

    private WordPieces() {
    }

    /** The tokens {@code ids[from, to)} as text, with {@code marked} (if in range) shown by {@code mark}. */
    static String text(Vocabulary vocab, int[] ids, int from, int to, int marked, String mark) {
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, from); i < Math.min(ids.length, to); i++) {
            String token = i == marked ? mark : vocab.token(ids[i]);
            boolean piece = i != marked && token.startsWith(Vocabulary.CONTINUATION)
                    && token.length() > Vocabulary.CONTINUATION.length();
            if (piece) {
                out.append(token, Vocabulary.CONTINUATION.length(), token.length());
            } else {
                if (out.length() > 0) {
                    out.append(' ');
                }
                out.append(token);
            }
        }
        return out.toString();
    }
}
