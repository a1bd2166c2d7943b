package io.pretext.data.dataset;

import io.pretext.data.image.ImageRecord;
import io.pretext.data.shard.StableHash;
import io.pretext.data.text.BasicTokenizer;
import io.pretext.data.text.TextDocument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What makes two records the same for deduplication.
 *
 * <p>Images: the SHA-256 of the decoded image (channels, height, width as 4-byte big-endian ints, then the CHW
 * pixels), so the same picture stored as PNG and as BMP, or under two names, is one image. Text: the SHA-256 of the
 * normalised text, the document's words as BERT's basic tokenizer yields them (lower-cased, accents stripped,
 * punctuation split off, control characters dropped) joined by single spaces, so documents differing only in case,
 * accents, spacing or line breaks are one document. Both are cut to their first 128 bits, as 32 hex digits.
 *
 * <p>Near-duplicate text compares {@link #shingles}: the distinct hashed runs of {@code k} consecutive normalised
 * words, as indices in {@code [0, }{@value #SHINGLE_SPACE}{@code )}.
 */
public final class ContentHash {

    /** Size of the shingle index space (2^20): two shingles collide with probability about 1e-6. */
    public static final int SHINGLE_SPACE = 1 << 20;
    private static final long SHINGLE_DOMAIN = 0x5348494E47L; // "SHING"

    private ContentHash() {
    }

    /** The 32-hex-digit content hash of a decoded image. */
    public static String of(ImageRecord image) {
        MessageDigest sha = Hashing.sha256();
        sha.update(intBytes(image.channels()));
        sha.update(intBytes(image.height()));
        sha.update(intBytes(image.width()));
        sha.update(image.pixels());
        return Hashing.hex(Arrays.copyOf(sha.digest(), 16));
    }

    /** The 32-hex-digit content hash of normalised words ({@link #words}). */
    public static String ofWords(List<String> words) {
        return Hashing.hex(Arrays.copyOf(Hashing.sha256().digest(
                String.join(" ", words).getBytes(StandardCharsets.UTF_8)), 16));
    }

    /** The normalised words of a document, sentence after sentence. Not thread-safe in its tokenizer: one per call. */
    public static List<String> words(TextDocument document) {
        BasicTokenizer basic = new BasicTokenizer();
        List<String> words = new ArrayList<>();
        for (String sentence : document.sentences()) {
            basic.split(sentence, (chars, start, end) -> words.add(new String(chars, start, end - start)));
        }
        return words;
    }

    /**
     * Sorted distinct shingle indices of {@code words}: every run of {@code k} consecutive words hashed into
     * {@code [0, SHINGLE_SPACE)}; fewer than {@code k} words make one shingle; no words make none.
     */
    public static int[] shingles(List<String> words, int k) {
        if (words.isEmpty()) {
            return new int[0];
        }
        long[] wordHashes = new long[words.size()];
        for (int i = 0; i < wordHashes.length; i++) {
            wordHashes[i] = StableHash.hash64(words.get(i), SHINGLE_DOMAIN);
        }
        int runs = Math.max(1, wordHashes.length - k + 1);
        int[] out = new int[runs];
        for (int i = 0; i < runs; i++) {
            long h = SHINGLE_DOMAIN;
            for (int j = i; j < Math.min(i + k, wordHashes.length); j++) {
                h = StableHash.mix(h * 31 + wordHashes[j]);
            }
            out[i] = (int) Long.remainderUnsigned(h, SHINGLE_SPACE);
        }
        return Arrays.stream(out).sorted().distinct().toArray();
    }

    private static byte[] intBytes(int v) {
        return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }
}
