package io.pretext.data.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.TestImages;
import io.pretext.data.text.SentenceSplitter;
import io.pretext.data.text.TestText;
import io.pretext.data.text.TextDocument;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ContentHashTest {

    private static ImageRecord image(String id, String label, byte[] pixels) {
        return new ImageRecord(id, label, 1, 28, 28, pixels);
    }

    private static TextDocument document(String id, String text) {
        return new TextDocument(id, null, SentenceSplitter.split(text));
    }

    private static String textHash(TextDocument d) {
        return ContentHash.ofWords(ContentHash.words(d));
    }

    @Test
    void imagesWithTheSamePixelsHashAlikeWhateverTheirIdOrLabel() {
        byte[] pixels = TestImages.fashionImages(1)[0];
        String a = ContentHash.of(image("a.png", "bag", pixels));
        assertEquals(a, ContentHash.of(image("copies/b.bmp", "dress", pixels.clone())));
        assertEquals(32, a.length());
    }

    @Test
    void oneChangedPixelOrAnotherShapeChangesTheImageHash() {
        byte[] pixels = TestImages.fashionImages(1)[0];
        byte[] changed = pixels.clone();
        changed[400] ^= 1;
        String original = ContentHash.of(image("a", null, pixels));
        assertNotEquals(original, ContentHash.of(image("a", null, changed)));
        assertNotEquals(original, ContentHash.of(new ImageRecord("a", null, 1, 14, 56, pixels)));
    }

    @Test
    void textDifferingOnlyInCaseAccentsSpacingAndLineBreaksHashesAlike() {
        String a = textHash(document("a", "The Union is strong.\nWe café together."));
        String b = textHash(document("b", "  the  UNION is strong .   We cafe\n\ntogether. "));
        assertEquals(a, b);
        assertNotEquals(a, textHash(document("c", "The Union is strong. We cafe apart.")));
    }

    @Test
    void normalisedWordsAreBertsBasicTokens() {
        assertEquals(List.of("hello", ",", "world", "!", "naive"),
                ContentHash.words(document("d", "Hello, World! Naïve")));
    }

    @Test
    void shinglesAreSortedDistinctIndicesOfWordRuns() {
        List<String> words = List.of("a", "b", "c", "a", "b", "c", "d");
        int[] shingles = ContentHash.shingles(words, 3);
        // runs: abc bca cab abc bcd -> 4 distinct
        assertEquals(4, shingles.length);
        assertArrayEquals(Arrays.stream(shingles).sorted().distinct().toArray(), shingles);
        assertTrue(Arrays.stream(shingles).allMatch(s -> s >= 0 && s < ContentHash.SHINGLE_SPACE));
    }

    @Test
    void fewerWordsThanAShingleMakeOneShingleAndNoWordsNone() {
        assertEquals(1, ContentHash.shingles(List.of("only", "two"), 5).length);
        assertEquals(0, ContentHash.shingles(List.of(), 5).length);
    }

    @Test
    void aSmallEditKeepsMostShinglesOfARealDocument() {
        TextDocument original = TestText.documents("sotu", 1).get(0);
        List<String> words = ContentHash.words(original);
        List<String> edited = IntStream.range(0, words.size())
                .mapToObj(i -> i == words.size() / 2 ? "edited" : words.get(i)).toList();
        int[] a = ContentHash.shingles(words, 5);
        int[] b = ContentHash.shingles(edited, 5);
        long common = Arrays.stream(a).filter(x -> Arrays.binarySearch(b, x) >= 0).count();
        double jaccard = common / (double) (a.length + b.length - common);
        assertTrue(jaccard > 0.99, "Jaccard " + jaccard);
        assertTrue(jaccard < 1, "the edit changes some shingles");
    }
}
