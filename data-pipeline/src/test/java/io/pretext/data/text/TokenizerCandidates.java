package io.pretext.data.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.text.tokenization.tokenizerfactory.BertWordPieceTokenizerFactory;

/**
 * The two library tokenizers compared with {@link WordPieceTokenizer}: Hugging Face tokenizers
 * (Rust, through DJL) and DL4J's {@code BertWordPieceTokenizerFactory}, both built from a vocab.txt.
 * DJL must run with {@code -Dai.djl.offline=true} (set for every test JVM in the parent pom).
 */
public final class TokenizerCandidates {

    private TokenizerCandidates() {
    }

    /**
     * A Hugging Face {@code tokenizer.json} for an uncased BERT WordPiece model over {@code vocab}:
     * BertNormalizer (clean text, CJK, lowercase, strip accents), BertPreTokenizer, WordPiece with
     * {@code [UNK]}, {@code ##} and 100 characters per word. No added tokens: a literal "[MASK]" in
     * text is text, as in the original BERT tokenizer.
     */
    public static String tokenizerJson(Vocabulary vocab) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        ObjectNode normalizer = root.putObject("normalizer");
        normalizer.put("type", "BertNormalizer");
        normalizer.put("clean_text", true);
        normalizer.put("handle_chinese_chars", true);
        normalizer.put("strip_accents", true);
        normalizer.put("lowercase", true);
        root.putObject("pre_tokenizer").put("type", "BertPreTokenizer");
        root.putNull("post_processor");
        root.putNull("decoder");
        ObjectNode model = root.putObject("model");
        model.put("type", "WordPiece");
        model.put("unk_token", Vocabulary.UNK);
        model.put("continuing_subword_prefix", Vocabulary.CONTINUATION);
        model.put("max_input_chars_per_word", WordPieceTokenizer.MAX_WORD_CHARS);
        ObjectNode ids = model.putObject("vocab");
        List<String> tokens = vocab.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            ids.put(tokens.get(i), i);
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** DJL's Hugging Face tokenizer over {@code vocab}, adding no [CLS]/[SEP], never truncating or padding. */
    public static HuggingFaceTokenizer huggingFace(Vocabulary vocab) {
        if (!"true".equals(System.getProperty("ai.djl.offline"))) {
            throw new IllegalStateException("DJL needs -Dai.djl.offline=true here (it would otherwise call out)");
        }
        try {
            Path dir = Files.createTempDirectory("pretext-hf-tokenizer");
            Path json = dir.resolve("tokenizer.json");
            Files.writeString(json, tokenizerJson(vocab));
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(json,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            Files.delete(json);
            Files.delete(dir);
            return tokenizer;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Token ids of {@code text} by the Hugging Face tokenizer. */
    public static int[] huggingFaceIds(HuggingFaceTokenizer tokenizer, String text) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    /** DL4J's BERT tokenizer factory over {@code vocab}, lowercasing and stripping accents. */
    public static BertWordPieceTokenizerFactory dl4j(Vocabulary vocab) {
        byte[] file = String.join("\n", vocab.tokens()).concat("\n").getBytes(StandardCharsets.UTF_8);
        try (InputStream in = new ByteArrayInputStream(file)) {
            return new BertWordPieceTokenizerFactory(in, true, true, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Token ids of {@code text} by DL4J's tokenizer. */
    public static int[] dl4jIds(BertWordPieceTokenizerFactory factory, Vocabulary vocab, String text) {
        List<String> tokens = factory.create(text).getTokens();
        int[] out = new int[tokens.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = vocab.id(tokens.get(i));
        }
        return out;
    }
}
