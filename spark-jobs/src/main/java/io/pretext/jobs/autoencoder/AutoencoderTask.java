package io.pretext.jobs.autoencoder;

import io.pretext.data.corrupt.AutoencoderBatch;
import io.pretext.data.corrupt.Corruption;
import io.pretext.jobs.train.TrainingTask;
import io.pretext.zoo.autoencoder.Autoencoder;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;

/**
 * An autoencoder on Spark: a worker batch of N records becomes the clean batch (the target) and the encoder's input,
 * which for dae is a copy corrupted in the executor, row by row from (seed, epoch, record id).
 *
 * @param <R> the record type: decoded images or feature rows
 */
final class AutoencoderTask<R> implements TrainingTask<R> {

    private final String graphJson;
    private final AutoencoderConfig model;
    private final AutoencoderInput<R> input;
    private final Corruption corruption;

    AutoencoderTask(String graphJson, AutoencoderConfig model, AutoencoderInput<R> input, Corruption corruption) {
        this.graphJson = graphJson;
        this.model = model;
        this.input = input;
        this.corruption = corruption;
    }

    @Override
    public String graphJson() {
        return graphJson;
    }

    @Override
    public String id(R record) {
        return input.id(record);
    }

    @Override
    public MultiDataSet batch(List<R> records, long seed, int epoch) {
        List<String> ids = records.stream().map(input::id).toList();
        AutoencoderBatch pair = AutoencoderBatch.of(input.batch(records), ids, corruption, seed, epoch);
        return Autoencoder.trainingBatch(model, pair.input(), pair.target()); // layout per kind: Autoencoder
    }
}
