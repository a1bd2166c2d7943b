package io.pretext.data.text;

import io.pretext.data.shard.StableHash;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * BERT pretraining examples (masked LM + next sentence prediction) from the documents of one partition, in one
 * pass: the documents are packed into sentence pairs by a {@link SequencePacker} seeded by (seed, epoch), and each
 * pair is masked by an {@link MlmMasker} seeded by (seed, epoch, sequence id) and padded to
 * {@code maxSeqLength}. A partition's examples are reproducible and change with the epoch, pairs and masks both.
 * Training on Spark packs once and masks per epoch instead (see {@link PackedSequence}); this class makes
 * finished examples for inspection, benchmarks and single-pass use.
 */
public final class BertExamples {

    private static final long EPOCH_DOMAIN = 0x4245525445L; // "BERTE"

    private final SequencePacker packer;
    private final MlmMasker masker;
    private final int seqLength;

    public BertExamples(WordPieceTokenizer tokenizer, BertExampleConfig config, MaskingConfig masking) {
        this.packer = new SequencePacker(tokenizer, config);
        this.masker = new MlmMasker(tokenizer.vocabulary(), masking);
        this.seqLength = config.maxSeqLength();
    }

    /**
     * The examples of one epoch, made in the executors per partition of {@code documents}. The vocabulary
     * is broadcast; each executor JVM builds its tokenizer once ({@link WordPieceTokenizer#shared}). Random B
     * segments come from the same partition, so partitions should hold many documents (reshuffling them per
     * epoch, e.g. with {@code Sharding.epochShards}, also varies the pairs).
     */
    public static JavaRDD<BertExample> examples(JavaRDD<TextDocument> documents, Vocabulary vocab,
            BertExampleConfig config, MaskingConfig masking, long seed, int epoch) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(documents.context());
        Broadcast<Vocabulary> shared = sc.broadcast(vocab);
        return documents.mapPartitions(it -> {
            List<TextDocument> partition = new ArrayList<>();
            it.forEachRemaining(partition::add);
            BertExamples examples = new BertExamples(WordPieceTokenizer.shared(shared.value()), config, masking);
            return examples.generate(partition, seed, epoch);
        }).setName("BERT examples epoch " + epoch);
    }

    /** The examples of one partition's documents, made lazily document by document. */
    public Iterator<BertExample> generate(List<TextDocument> documents, long seed, int epoch) {
        Iterator<PackedSequence> packed = packer.packGroup(documents, StableHash.derive(EPOCH_DOMAIN, seed, epoch));
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return packed.hasNext();
            }

            @Override
            public BertExample next() {
                return masker.mask(packed.next(), seqLength, seed, epoch);
            }
        };
    }
}
