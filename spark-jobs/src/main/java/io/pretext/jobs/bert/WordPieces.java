package io.pretext.jobs.bert;

import io.pretext.data.text.Vocabulary;

/** WordPiece ids back to readable text: {@code ##} continuations are glued to the piece before them. */
final class WordPieces {

    private WordPieces() {
    }

    /** The tokens {@code ids[from, to)} (clipped to the array) as text. */
    static String text(Vocabulary vocab, int[] ids, int from, int to) {
        StringBuilder out = new StringBuilder();
        for (int i = Math.max(0, from); i < Math.min(ids.length, to); i++) {
            String token = vocab.token(ids[i]);
            if (token.startsWith(Vocabulary.CONTINUATION) && token.length() > Vocabulary.CONTINUATION.length()) {
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
