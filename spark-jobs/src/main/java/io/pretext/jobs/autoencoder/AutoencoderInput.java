package io.pretext.jobs.autoencoder;

import io.pretext.data.features.FeatureRecord;
import io.pretext.data.features.FeatureStats;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageTensors;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.List;

/**
 * How records become an autoencoder's clean input batch, the same way in training, scoring, embedding and
 * evaluation: images as {@code [N, C, H, W]} in [0, 1], feature rows standardised by the run's training
 * statistics as {@code [N, F]}. Shipped to the executors.
 *
 * @param <R> the record type
 */
public interface AutoencoderInput<R> extends Serializable {

    String id(R record);

    /** The record's label, or null. */
    String label(R record);

    /** The clean batch, row {@code i} from {@code records.get(i)}. */
    INDArray batch(List<R> records);

    static AutoencoderInput<ImageRecord> images() {
        return new Images();
    }

    static AutoencoderInput<FeatureRecord> features(FeatureStats stats) {
        return new Features(stats);
    }

    /** Decoded images, scaled to [0, 1]. */
    final class Images implements AutoencoderInput<ImageRecord> {
        @Override
        public String id(ImageRecord record) {
            return record.id();
        }

        @Override
        public String label(ImageRecord record) {
            return record.label();
        }

        @Override
        public INDArray batch(List<ImageRecord> records) {
            return ImageTensors.features(records); // [N, C, H, W]
        }
    }

    /** Feature rows, standardised (imputed missing values become the training mean, 0). */
    final class Features implements AutoencoderInput<FeatureRecord> {
        private final FeatureStats stats;

        Features(FeatureStats stats) {
            this.stats = stats;
        }

        @Override
        public String id(FeatureRecord record) {
            return record.id();
        }

        @Override
        public String label(FeatureRecord record) {
            return record.label();
        }

        @Override
        public INDArray batch(List<FeatureRecord> records) {
            return stats.standardize(records); // [N, F]
        }
    }
}
