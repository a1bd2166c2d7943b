package io.pretext.jobs.bert;

import io.pretext.data.text.DocumentBatch;
import io.pretext.data.text.EncodedDocument;
import io.pretext.jobs.train.TrainingTask;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;
import java.util.Map;

/**
 * Fine-tuning a BERT classifier on Spark: a worker batch of labelled documents becomes one minibatch, features
 * {@code [tokens, segments]} with the attention mask, labels one-hot {@code [batch, classes]}. The same documents
 * every epoch: the sharding reshuffles them.
 */
final class FinetuneTask implements TrainingTask<EncodedDocument> {

    private final String graphJson;
    private final Map<String, Integer> classIndex;
    private final int padId;

    FinetuneTask(String graphJson, List<String> classes, int padId) {
        this.graphJson = graphJson;
        this.classIndex = TextClassifiers.index(classes);
        this.padId = padId;
    }

    @Override
    public String graphJson() {
        return graphJson;
    }

    @Override
    public String id(EncodedDocument record) {
        return record.id();
    }

    @Override
    public MultiDataSet batch(List<EncodedDocument> records, long seed, int epoch) {
        DocumentBatch batch = DocumentBatch.of(records, padId);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, records.size(), classIndex.size()); // [B, classes]
        for (int i = 0; i < records.size(); i++) {
            labels.putScalar(i, classIndex.get(records.get(i).label()), 1f);
        }
        return new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {batch.tokenIds(), batch.segmentIds()},
                new INDArray[] {labels}, new INDArray[] {batch.attentionMask(), null}, null);
    }
}
