package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pretext.data.image.SparkTestSession;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A vocabulary built on State of the Union addresses up to 1999, checked on the addresses from 2000 on. */
class VocabBuilderTest {

    private static final VocabConfig CONFIG = VocabConfig.defaults().withVocabSize(8_000);
    private static SparkTestSession session;
    private static TextCorpus corpus;
    private static Map<String, Long> counts;
    private static Vocabulary vocab;

    @TempDir
    Path tmp;

    @BeforeAll
    static void build() {
        session = new SparkTestSession();
        corpus = TextCorpus.open(session.spark(), TestText.corpus("sotu").toString(), TextDataConfig.defaults());
        counts = VocabBuilder.wordCounts(training());
        vocab = VocabBuilder.build(counts, CONFIG);
    }

    @AfterAll
    static void stop() {
        corpus.unpersist();
        session.close();
    }

    private static JavaRDD<TextDocument> training() {
        return corpus.documents().filter(d -> d.id().compareTo("2000") < 0);
    }

    private static List<TextDocument> heldOut() {
        return corpus.documents().filter(d -> d.id().compareTo("2000") >= 0).collect();
    }

    @Test
    void vocabularyHasTheConfiguredSizeWithTheSpecialTokensFirst() {
        assertEquals(8_000, vocab.size());
        assertEquals(Vocabulary.SPECIALS, vocab.tokens().subList(0, 5));
        assertEquals(List.of(0, 1, 2, 3, 4), List.of(vocab.padId(), vocab.unkId(), vocab.clsId(), vocab.sepId(),
                vocab.maskId()));
    }

    @Test
    void buildingIsDeterministicWhateverThePartitioning() {
        Map<String, Long> again = VocabBuilder.wordCounts(training().repartition(5));
        assertEquals(counts, again);
        assertEquals(vocab.tokens(), VocabBuilder.build(again, CONFIG).tokens());
    }

    @Test
    void heldOutAddressesTokenizeWithFewUnknownTokensAllFromUnseenCharacters() {
        WordPieceTokenizer tokenizer = new WordPieceTokenizer(vocab);
        BasicTokenizer basic = new BasicTokenizer();
        Set<Integer> trainingChars = new HashSet<>();
        counts.keySet().forEach(w -> w.codePoints().forEach(trainingChars::add));
        long tokens = 0;
        long unknown = 0;
        for (TextDocument d : heldOut()) {
            for (String s : d.sentences()) {
                for (String word : basic.words(s)) {
                    int[] ids = tokenizer.encode(word);
                    tokens += ids.length;
                    if (ids.length == 1 && ids[0] == vocab.unkId()) {
                        unknown++;
                        assertTrue(word.codePoints().anyMatch(c -> !trainingChars.contains(c)),
                                "[UNK] for \"" + word + "\" whose characters were all seen in training");
                    }
                }
            }
        }
        assertTrue(tokens > 100_000, "held-out tokens: " + tokens);
        assertTrue(unknown < tokens / 200, unknown + " [UNK] of " + tokens + " tokens");
    }

    @Test
    void theMostFrequentLongWordIsOneToken() {
        String frequent = counts.entrySet().stream()
                .filter(e -> e.getKey().length() >= 8 && e.getKey().chars().allMatch(Character::isLetter))
                .max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        assertEquals(List.of(frequent), new WordPieceTokenizer(vocab).tokenize(frequent));
    }

    @Test
    void rareWordsAreSplitIntoContinuationPieces() {
        List<String> pieces = new WordPieceTokenizer(vocab).tokenize("antidisestablishmentarianism");
        assertTrue(pieces.size() > 1 && pieces.subList(1, pieces.size()).stream().allMatch(p -> p.startsWith("##")),
                pieces.toString());
        assertEquals("antidisestablishmentarianism", String.join("", pieces).replace("##", ""));
    }

    @Test
    void writtenVocabularyReadsBackWithTheSameHash() {
        String file = tmp.resolve("out/vocab.txt").toUri().toString();
        vocab.write(file, new Configuration());
        Vocabulary read = Vocabulary.load(file);
        assertEquals(vocab.tokens(), read.tokens());
        assertEquals(vocab.sha256(), read.sha256());
    }

    @Test
    void sizeBelowTheCharactersSeenIsRefusedNamingTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VocabBuilder.build(counts, CONFIG.withVocabSize(20)));
        assertTrue(e.getMessage().startsWith("vocab.vocabSize 20 is smaller than the 5 special tokens and "),
                e.getMessage());
    }
}
