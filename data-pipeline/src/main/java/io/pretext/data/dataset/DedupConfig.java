package io.pretext.data.dataset;

import java.io.Serializable;

/**
 * Deduplication while preprocessing. YAML section {@code dedup:}. Exact duplicates (same content hash of the decoded
 * pixels, or of the normalised text) are always removed; near-duplicate text optionally.
 *
 * @param near         also remove near-duplicate documents (text only): MinHash LSH over word shingles
 * @param similarity   documents whose shingle sets have at least this Jaccard similarity are near-duplicates
 * @param shingleWords words per shingle (documents with fewer words form one shingle)
 * @param hashTables   MinHash functions, each its own LSH table: more find more of the pairs near the threshold at a
 *                     higher cost (a pair of similarity s is a candidate with probability {@code 1 - (1 - s)^hashTables})
 */
public record DedupConfig(boolean near, double similarity, int shingleWords, int hashTables) implements Serializable {

    private static final String FIX = " (set it in the dedup: section)";

    public DedupConfig {
        require(similarity > 0 && similarity <= 1, "similarity", similarity, "must be in (0, 1]");
        require(shingleWords >= 1 && shingleWords <= 64, "shingleWords", shingleWords, "must be in [1, 64]");
        require(hashTables >= 1 && hashTables <= 64, "hashTables", hashTables, "must be in [1, 64]");
    }

    /** Exact only; when near is switched on: 5-word shingles, Jaccard similarity 0.8, 5 hash tables. */
    public static DedupConfig defaults() {
        return new DedupConfig(false, 0.8, 5, 5);
    }

    private static void require(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("dedup." + key + " " + rule + ", got " + value + FIX);
        }
    }
}
