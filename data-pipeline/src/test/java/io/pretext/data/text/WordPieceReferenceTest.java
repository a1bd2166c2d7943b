package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.text.tokenization.tokenizerfactory.BertWordPieceTokenizerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every tokenizer candidate against the reference: 360 corpus lines with the ids of the Hugging Face
 * BERT tokenizer ({@code wordpiece-reference.jsonl}, see {@link ReferenceVectorsGenerator}), and
 * hand-checked cases whose expected tokens were written from BERT's rules.
 */
class WordPieceReferenceTest {

    private static Vocabulary vocab;
    private static WordPieceTokenizer own;
    private static HuggingFaceTokenizer huggingFace;
    private static BertWordPieceTokenizerFactory dl4j;

    record Vector(String name, String text, int[] ids) {
        @Override
        public String toString() {
            return name;
        }
    }

    record Case(String name, String text, List<String> tokens) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void build() {
        vocab = TestText.bertVocab();
        own = new WordPieceTokenizer(vocab);
        huggingFace = TokenizerCandidates.huggingFace(vocab);
        dl4j = TokenizerCandidates.dl4j(vocab);
    }

    @AfterAll
    static void close() {
        huggingFace.close();
    }

    static List<Vector> vectors() {
        ObjectMapper mapper = new ObjectMapper();
        List<Vector> out = new ArrayList<>();
        try (InputStream in = WordPieceReferenceTest.class.getResourceAsStream("wordpiece-reference.jsonl");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                JsonNode node = mapper.readTree(line);
                int[] ids = new int[node.get("ids").size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = node.get("ids").get(i).asInt();
                }
                out.add(new Vector(out.size() + " " + node.get("source").asText(), node.get("text").asText(), ids));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Case> handChecked() {
        return List.of(
                new Case("accents are stripped", "Héllo Wörld, naïve café résumé",
                        List.of("hello", "world", ",", "naive", "cafe", "resume")),
                new Case("combining mark is dropped", "e\u0301 cafe\u0301", List.of("e", "cafe")),
                new Case("dotted capital I lowercases to i", "İSTANBUL", List.of("istanbul")),
                new Case("punctuation is split per character", "don't stop--now!?",
                        List.of("don", "'", "t", "stop", "-", "-", "now", "!", "?")),
                new Case("abbreviations and numbers split at dots", "U.S.A. costs $3.50 (approx.)",
                        List.of("u", ".", "s", ".", "a", ".", "costs", "$", "3", ".", "50", "(", "approx", ".", ")")),
                new Case("CJK ideographs are separate words", "日本国abc", List.of("日", "本", "国", "abc")),
                new Case("emoji outside the vocabulary is [UNK]", "i \uD83D\uDE00 pizza",
                        List.of("i", "[UNK]", "pizza")),
                new Case("a word with an unknown character is one [UNK]", "new caf\u2603e", List.of("new", "[UNK]")),
                new Case("word of 101 characters is [UNK]", "stop " + "a".repeat(101), List.of("stop", "[UNK]")),
                new Case("control and format characters vanish inside a word", "a\u0000b\u200Bc\td",
                        List.of("abc", "d")),
                new Case("no-break, ideographic and line separators are spaces", "new\u00A0york\u3000city\u2028now",
                        List.of("new", "york", "city", "now")),
                new Case("special tokens in text are plain text", "[MASK] stays text",
                        List.of("[", "mask", "]", "stays", "text")),
                new Case("word pieces continue with ##", "unaffable", List.of("una", "##ffa", "##ble")),
                new Case("empty and blank text give no tokens", " \t\n ", List.of()));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void ownTokenizerGivesTheReferenceIds(Vector v) {
        assertArrayEquals(v.ids(), own.encode(v.text()), () -> v.text() + "\nown:       " + own.tokenize(v.text()));
    }

    @ParameterizedTest
    @MethodSource("handChecked")
    void ownTokenizerFollowsTheHandCheckedRules(Case c) {
        assertEquals(c.tokens(), own.tokenize(c.text()));
    }

    @ParameterizedTest
    @MethodSource("handChecked")
    void huggingFaceTokenizerFollowsTheHandCheckedRules(Case c) {
        assertEquals(c.tokens(), tokens(TokenizerCandidates.huggingFaceIds(huggingFace, c.text())));
    }

    @Test
    void dl4jTokenizerDiffersFromTheReferenceOnlyOnLinesWithUnknownWords() {
        int unk = vocab.unkId();
        List<String> differWithoutUnk = new ArrayList<>();
        int differ = 0;
        for (Vector v : vectors()) {
            if (!Arrays.equals(v.ids(), TokenizerCandidates.dl4jIds(dl4j, vocab, v.text()))) {
                differ++;
                if (Arrays.stream(v.ids()).noneMatch(id -> id == unk)) {
                    differWithoutUnk.add(v.name());
                }
            }
        }
        assertEquals(List.of(), differWithoutUnk);
        assertEquals(2, differ, "lines where DL4J's tokens differ (both hold a word the reference makes [UNK])");
    }

    record Dl4jCase(String name, String text, List<String> dl4jTokens, List<String> referenceTokens) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Dl4jCase> dl4jFaults() {
        return List.of(
                new Dl4jCase("drops an emoji instead of [UNK]", "i \uD83D\uDE00 pizza",
                        List.of("i", "pizza"), List.of("i", "[UNK]", "pizza")),
                new Dl4jCase("drops an unknown character inside a word", "new caf\u2603e",
                        List.of("new", "cafe"), List.of("new", "[UNK]")),
                new Dl4jCase("keeps the line separator inside a word", "city\u2028now",
                        List.of("city", "##now"), List.of("city", "now")));
    }

    @ParameterizedTest
    @MethodSource("dl4jFaults")
    void dl4jTokenizerDepartsFromTheReferenceRules(Dl4jCase c) {
        assertEquals(c.referenceTokens(), own.tokenize(c.text()));
        assertEquals(c.dl4jTokens(), dl4j.create(c.text()).getTokens());
    }

    @Test
    void dl4jTokenizerHasNoHundredCharacterWordRule() {
        List<String> tokens = dl4j.create("a".repeat(101)).getTokens();
        assertEquals("aaa", tokens.get(0));
        assertEquals(List.of("[UNK]"), own.tokenize("a".repeat(101)));
    }

    private static List<String> tokens(int[] ids) {
        List<String> out = new ArrayList<>();
        for (int id : ids) {
            out.add(vocab.token(id));
        }
        return out;
    }
}
