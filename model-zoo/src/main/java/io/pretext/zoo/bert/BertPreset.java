package io.pretext.zoo.bert;

import java.util.Arrays;
import java.util.List;

/**
 * The BERT sizes by preset name: the compact models of Turc et al. (2019, "Well-Read Students Learn Better")
 * and BERT-base (Devlin et al. 2019). The feed-forward width is 4 x hidden and the head size hidden / heads
 * (64) in all of them.
 */
public enum BertPreset {

    BERT_TINY("bert-tiny", 2, 128, 2),
    BERT_MINI("bert-mini", 4, 256, 4),
    BERT_SMALL("bert-small", 4, 512, 8),
    BERT_MEDIUM("bert-medium", 8, 512, 8),
    BERT_BASE("bert-base", 12, 768, 12);

    private final String key;
    private final int layers;
    private final int hiddenSize;
    private final int heads;

    BertPreset(String key, int layers, int hiddenSize, int heads) {
        this.key = key;
        this.layers = layers;
        this.hiddenSize = hiddenSize;
        this.heads = heads;
    }

    /** The preset's name in configuration files, e.g. {@code "bert-mini"}. */
    public String key() {
        return key;
    }

    /** Number of encoder blocks. */
    public int layers() {
        return layers;
    }

    public int hiddenSize() {
        return hiddenSize;
    }

    public int heads() {
        return heads;
    }

    /** All preset names. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(BertPreset::key).toList();
    }

    /**
     * The preset called {@code key}.
     *
     * @throws IllegalArgumentException naming the valid presets if there is none
     */
    public static BertPreset of(String key) {
        for (BertPreset p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("model.preset must be one of " + keys() + " or empty (sizes set "
                + "explicitly), got " + (key == null ? "null" : "\"" + key + "\"") + " (set it in the model: section)");
    }
}
