package io.pretext.zoo.bert;

/**
 * The BERT model (YAML section {@code model:}).
 *
 * <ul>
 *   <li>{@code preset}: one of {@link BertPreset#keys()} ({@code bert-tiny}, {@code bert-mini},
 *       {@code bert-small}, {@code bert-medium}, {@code bert-base}), or empty to give every size explicitly.</li>
 *   <li>{@code layers}, {@code hiddenSize}, {@code heads}: encoder blocks, model width, attention heads
 *       ({@code hiddenSize} divisible by {@code heads}). 0 takes the value from the preset; a non-zero value
 *       must agree with the preset (a different size is not that preset: empty the preset instead).</li>
 *   <li>{@code intermediateSize}: width of the feed-forward layer; 0 means 4 x hiddenSize.</li>
 *   <li>{@code maxPositions}: length of the learned position table, the longest sequence the model takes.</li>
 *   <li>{@code vocabSize}: WordPiece vocabulary size. 0 means "not known yet": the trainer sets it from the
 *       vocabulary with {@link #withVocabSize(int)} before the graph is built.</li>
 *   <li>{@code typeVocabSize}: number of segment ids (2: sentence A and B).</li>
 *   <li>{@code dropout}: drop probability after the embeddings and on every sub-layer output;
 *       {@code attentionDropout}: on the attention weights. Both apply in training only.</li>
 *   <li>{@code layerNormEpsilon}: added to the variance in every layer norm.</li>
 *   <li>{@code initializerRange}: standard deviation of the truncated normal (cut at 2 standard deviations)
 *       that draws every weight matrix and embedding table; biases start at 0, layer-norm gains at 1.</li>
 *   <li>{@code tieWordEmbeddings}: the masked-LM decoder uses the token embedding table as its weight (as in
 *       BERT) instead of a weight matrix of its own.</li>
 *   <li>{@code seed}: seed of the weight initialisation.</li>
 * </ul>
 */
public record BertConfig(String preset, int layers, int hiddenSize, int heads, int intermediateSize,
        int maxPositions, int vocabSize, int typeVocabSize, double dropout, double attentionDropout,
        double layerNormEpsilon, double initializerRange, boolean tieWordEmbeddings, long seed) {

    /** The sizes of a model, presets resolved. */
    public record Sizes(int layers, int hiddenSize, int heads, int intermediateSize) {

        /** Width of one attention head. */
        public int headSize() {
            return hiddenSize / heads;
        }
    }

    public BertConfig {
        preset = preset == null ? "" : preset.trim();
        if (!preset.isEmpty()) {
            BertPreset p = BertPreset.of(preset);
            requireMatchesPreset("layers", layers, p.layers(), p);
            requireMatchesPreset("hiddenSize", hiddenSize, p.hiddenSize(), p);
            requireMatchesPreset("heads", heads, p.heads(), p);
        } else {
            requirePositive("layers", layers, "e.g. 4, or choose a preset such as bert-mini");
            requirePositive("hiddenSize", hiddenSize, "e.g. 256, or choose a preset such as bert-mini");
            requirePositive("heads", heads, "e.g. 4, or choose a preset such as bert-mini");
        }
        int hidden = hiddenSize > 0 ? hiddenSize : BertPreset.of(preset).hiddenSize();
        int nHeads = heads > 0 ? heads : BertPreset.of(preset).heads();
        if (hidden % nHeads != 0) {
            throw new IllegalArgumentException("model.hiddenSize (" + hidden + ") must be divisible by model.heads ("
                    + nHeads + "), got a remainder of " + hidden % nHeads + " (each head gets hiddenSize / heads "
                    + "dimensions: e.g. hiddenSize 256 with 4 heads)");
        }
        if (intermediateSize < 0) {
            throw new IllegalArgumentException("model.intermediateSize must be >= 0 (0 = 4 x hiddenSize), got "
                    + intermediateSize + " (set it in the model: section)");
        }
        requirePositive("maxPositions", maxPositions, "at least the longest sequence, e.g. 512");
        if (vocabSize < 0) {
            throw new IllegalArgumentException("model.vocabSize must be >= 0 (0 = set from the vocabulary by the "
                    + "trainer), got " + vocabSize);
        }
        requirePositive("typeVocabSize", typeVocabSize, "2 for sentence pairs");
        requireProbability("dropout", dropout);
        requireProbability("attentionDropout", attentionDropout);
        if (!(layerNormEpsilon > 0) || Double.isInfinite(layerNormEpsilon)) {
            throw new IllegalArgumentException("model.layerNormEpsilon must be a finite number > 0, got "
                    + layerNormEpsilon + " (set it in the model: section, e.g. 1e-12)");
        }
        if (!(initializerRange > 0) || Double.isInfinite(initializerRange)) {
            throw new IllegalArgumentException("model.initializerRange must be a finite number > 0, got "
                    + initializerRange + " (set it in the model: section, e.g. 0.02)");
        }
    }

    /**
     * bert-tiny with BERT's settings: 512 positions, 2 segment types, dropout 0.1 on hidden states and
     * attention weights, layer-norm epsilon 1e-12, truncated normal initialisation with standard deviation
     * 0.02, tied MLM decoder, seed 42. {@code vocabSize} is left to the trainer.
     */
    public static BertConfig defaults() {
        return new BertConfig(BertPreset.BERT_TINY.key(), 0, 0, 0, 0, 512, 0, 2, 0.1, 0.1, 1e-12, 0.02, true, 42L);
    }

    /** The defaults with another preset. */
    public static BertConfig preset(BertPreset preset) {
        return defaults().withPreset(preset.key());
    }

    /** This configuration with another preset (explicit sizes cleared). */
    public BertConfig withPreset(String name) {
        return new BertConfig(name, 0, 0, 0, intermediateSize, maxPositions, vocabSize, typeVocabSize, dropout,
                attentionDropout, layerNormEpsilon, initializerRange, tieWordEmbeddings, seed);
    }

    /** This configuration with {@code vocabSize} set, once the trainer has read the vocabulary. */
    public BertConfig withVocabSize(int size) {
        if (size < 2) {
            throw new IllegalArgumentException("model.vocabSize must be >= 2, got " + size
                    + " (the vocabulary file is empty or unreadable?)");
        }
        return new BertConfig(preset, layers, hiddenSize, heads, intermediateSize, maxPositions, size,
                typeVocabSize, dropout, attentionDropout, layerNormEpsilon, initializerRange, tieWordEmbeddings, seed);
    }

    /** This configuration with both dropout probabilities set (e.g. 0 for deterministic checks). */
    public BertConfig withDropout(double hidden, double attention) {
        return new BertConfig(preset, layers, hiddenSize, heads, intermediateSize, maxPositions, vocabSize,
                typeVocabSize, hidden, attention, layerNormEpsilon, initializerRange, tieWordEmbeddings, seed);
    }

    /** The sizes, the preset's where this configuration leaves them at 0. */
    public Sizes sizes() {
        BertPreset p = preset.isEmpty() ? null : BertPreset.of(preset);
        int l = layers > 0 ? layers : p.layers();
        int h = hiddenSize > 0 ? hiddenSize : p.hiddenSize();
        int n = heads > 0 ? heads : p.heads();
        return new Sizes(l, h, n, intermediateSize > 0 ? intermediateSize : 4 * h);
    }

    /**
     * The vocabulary size, which must be set by now.
     *
     * @throws IllegalStateException if it is still 0
     */
    public int requireVocabSize() {
        if (vocabSize == 0) {
            throw new IllegalStateException("model.vocabSize is not set: call withVocabSize(vocabulary size) once the "
                    + "vocabulary is read, before building the graph");
        }
        return vocabSize;
    }

    /**
     * Checks that sequences of {@code length} tokens fit the position table.
     *
     * @throws IllegalArgumentException naming both settings if they do not
     */
    public void requireSequenceLength(int length) {
        if (length < 1 || length > maxPositions) {
            throw new IllegalArgumentException("sequence length " + length + " must be in [1, model.maxPositions = "
                    + maxPositions + "] (shorten the sequences or raise model.maxPositions)");
        }
    }

    private static void requireMatchesPreset(String key, int value, int presetValue, BertPreset preset) {
        if (value != 0 && value != presetValue) {
            throw new IllegalArgumentException("model." + key + " is " + value + " but preset " + preset.key()
                    + " has " + presetValue + " (leave model." + key + " at 0 to take it from the preset, or set "
                    + "model.preset to \"\" and give every size)");
        }
    }

    private static void requirePositive(String key, int value, String hint) {
        if (value < 1) {
            throw new IllegalArgumentException("model." + key + " must be >= 1, got " + value
                    + " (set it in the model: section, " + hint + ")");
        }
    }

    private static void requireProbability(String key, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException("model." + key + " must be in [0, 1), got " + value
                    + " (set it in the model: section, e.g. 0.1)");
        }
    }
}
