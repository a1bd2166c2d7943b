package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {

    @TempDir
    Path tmp;

    @Test
    void bertBaseUncasedSpecialIdsAreReadFromTheFile() {
        Vocabulary v = TestText.bertVocab();
        assertEquals(30_522, v.size());
        assertEquals(List.of(0, 100, 101, 102, 103), List.of(v.padId(), v.unkId(), v.clsId(), v.sepId(), v.maskId()));
    }

    @Test
    void contentHashIsTheFilesSha256() {
        assertEquals("07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3", TestText.bertVocab().sha256());
    }

    @Test
    void crlfLineEndsGiveTheSameTokensAndHash() throws IOException {
        Path crlf = tmp.resolve("vocab.txt");
        Files.writeString(crlf, String.join("\r\n", TestText.bertVocab().tokens()) + "\r\n");
        Vocabulary v = Vocabulary.load(crlf.toString());
        assertEquals(TestText.bertVocab().sha256(), v.sha256());
    }

    @Test
    void missingSpecialTokenIsRefusedNamingIt() throws IOException {
        Path file = tmp.resolve("v.txt");
        Files.writeString(file, "[PAD]\n[UNK]\n[CLS]\n[SEP]\nhello\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocabulary.load(file.toString()));
        assertEquals("vocabulary " + file + " has no [MASK] token (a BERT vocabulary needs [PAD] [UNK] [CLS] [SEP] "
                + "[MASK]; build one with VocabBuilder)", e.getMessage());
    }

    @Test
    void duplicateAndBlankTokensAreRefusedWithTheirLines() throws IOException {
        Path dup = tmp.resolve("dup.txt");
        Files.writeString(dup, "[PAD]\n[UNK]\nx\n[CLS]\nx\n");
        assertEquals("vocabulary " + dup + ": token \"x\" appears on lines 3 and 5 (every token once)",
                assertThrows(IllegalArgumentException.class, () -> Vocabulary.load(dup.toString())).getMessage());
        Path blank = tmp.resolve("blank.txt");
        Files.writeString(blank, "[PAD]\n\n[UNK]\n");
        assertEquals("vocabulary " + blank + ": line 2 holds an empty token (one token per line, no blank lines)",
                assertThrows(IllegalArgumentException.class, () -> Vocabulary.load(blank.toString())).getMessage());
    }

    @Test
    void missingFileIsRefusedNamingIt() {
        String missing = tmp.resolve("none.txt").toString();
        assertEquals("vocabulary " + missing + " does not exist (expected a vocab.txt with one WordPiece token per line)",
                assertThrows(IllegalArgumentException.class, () -> Vocabulary.load(missing)).getMessage());
    }

    @Test
    void javaSerializationKeepsTheTokensAndRebuildsTheLookups() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(TestText.bertVocab());
        }
        Vocabulary copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (Vocabulary) in.readObject();
        }
        assertEquals(TestText.bertVocab(), copy);
        assertEquals(7_592, copy.id("hello"));
        assertEquals(103, copy.maskId());
        assertTrue(bytes.size() < 400_000, "serialized bytes: " + bytes.size());
    }

    @Test
    void sharedTokenizerIsOnePerVocabularyContent() throws IOException {
        Path copy = tmp.resolve("copy.txt");
        Files.copy(TestText.bertVocabFile(), copy);
        Vocabulary again = Vocabulary.load(copy.toString());
        assertNotSame(TestText.bertVocab(), again);
        assertSame(WordPieceTokenizer.shared(TestText.bertVocab()), WordPieceTokenizer.shared(again));
    }

    @Test
    void oneTokenizerGivesEachThreadTheSameIdsAsOneThread() throws Exception {
        WordPieceTokenizer tokenizer = WordPieceTokenizer.shared(TestText.bertVocab());
        List<String> sentences = new ArrayList<>();
        for (TextDocument d : TestText.documents("moby-dick", 20)) {
            sentences.addAll(d.sentences());
        }
        List<int[]> expected = sentences.stream().map(tokenizer::encode).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                results.add(pool.submit(() -> {
                    for (int i = 0; i < sentences.size(); i++) {
                        if (!Arrays.equals(expected.get(i), tokenizer.encode(sentences.get(i)))) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void utf8IsRequired() throws IOException {
        Path latin = tmp.resolve("latin.txt");
        Files.write(latin, "[PAD]\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Vocabulary.load(latin.toString())).getMessage()
                .startsWith("vocabulary " + latin + " is not valid UTF-8"));
    }
}
