package io.pretext.jobs.preprocess;

import io.pretext.data.text.BertExampleConfig;

import java.io.File;

/**
 * How a text dataset is tokenized and packed into BERT sequences. YAML section {@code text:}.
 *
 * @param vocab                 the WordPiece vocabulary (vocab.txt, one token a line), a Hadoop URI or local path;
 *                              {@value #BUNDLED} is the bert-base-uncased vocabulary shipped in
 *                              {@code deploy/samples/vocab/}
 * @param maxSeqLength          tokens per sequence including {@code [CLS]} and two {@code [SEP]}
 * @param shortSeqProbability   probability that a document's chunks aim at a random shorter length
 * @param randomNextProbability probability that segment B comes from another document (NSP label 1)
 * @param groupSize             documents per packing group (random B segments come from the same group; one group is
 *                              held in memory at a time)
 * @param seed                  seed of every random draw of the text pipeline: packing and the MinHash functions
 */
public record PackingConfig(String vocab, int maxSeqLength, double shortSeqProbability, double randomNextProbability,
                            int groupSize, long seed) {

    /** The name of the bundled vocabulary. */
    public static final String BUNDLED = "bert-base-uncased";
    private static final String FIX = " (set it in the text: section)";

    public PackingConfig {
        if (vocab == null || vocab.isBlank()) {
            throw new IllegalArgumentException("text.vocab must name a vocab.txt or \"" + BUNDLED + "\", got \""
                    + vocab + "\"" + FIX);
        }
        new BertExampleConfig(maxSeqLength, shortSeqProbability, randomNextProbability); // its checks, text.* keys
        if (groupSize < 2) {
            throw new IllegalArgumentException("text.groupSize must be >= 2 (random next segments come from another "
                    + "document of the group), got " + groupSize + FIX);
        }
    }

    /** The bundled bert-base-uncased vocabulary, BERT's phase-1 packing, groups of 256 documents, seed 42. */
    public static PackingConfig defaults() {
        BertExampleConfig bert = BertExampleConfig.defaults();
        return new PackingConfig(BUNDLED, bert.maxSeqLength(), bert.shortSeqProbability(),
                bert.randomNextProbability(), 256, 42);
    }

    public BertExampleConfig examples() {
        return new BertExampleConfig(maxSeqLength, shortSeqProbability, randomNextProbability);
    }

    /**
     * Where the vocabulary is read from: {@code text.vocab} as given, or for {@value #BUNDLED} the file under
     * {@code deploy/samples/vocab/} of the installation ({@code -Dpretext.home}, else the working directory).
     *
     * @throws IllegalArgumentException when the bundled vocabulary is not there
     */
    public String vocabLocation() {
        if (!BUNDLED.equals(vocab)) {
            return vocab;
        }
        String home = System.getProperty("pretext.home");
        File file = new File(home != null ? home : ".", "deploy/samples/vocab/bert-base-uncased-vocab.txt");
        if (!file.isFile()) {
            throw new IllegalArgumentException("the bundled vocabulary is not at " + file.getAbsolutePath()
                    + " (run from the project root, use deploy/bin/pretext, or set text.vocab to a vocab.txt"
                    + FIX + ")");
        }
        return file.getAbsolutePath();
    }
}
