package io.pretext.data.corrupt;

import io.pretext.data.features.FeatureRecord;
import io.pretext.data.features.FeatureStats;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageTensors;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One autoencoder minibatch before it becomes a DL4J MultiDataSet: what the encoder sees and what the
 * decoder must reproduce, both float with one row per record, in record order.
 *
 * <ul>
 *   <li>Images: {@code [N, C, H, W]} in [0, 1] (via {@link ImageTensors}), for dense and convolutional
 *       models alike (a dense model flattens inside its graph).</li>
 *   <li>Feature vectors: {@code [N, F]}, standardised by the training {@link FeatureStats}.</li>
 * </ul>
 *
 * {@code target} is the clean batch. {@code input} is the same array when the corruption is
 * {@code none}, else a corrupted copy whose row {@code i} is drawn from
 * {@link Corruption#exampleSeed}{@code (seed, epoch, id of record i)}: a denoising autoencoder trains on
 * {@code (input -> target)}.
 *
 * @param input  the encoder's input, {@code [N, ...]}
 * @param target the clean batch, same shape
 */
public record AutoencoderBatch(INDArray input, INDArray target) {

    public AutoencoderBatch {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(target, "target");
        if (!Arrays.equals(input.shape(), target.shape())) {
            throw new IllegalArgumentException("input and target must have one shape, got "
                    + Arrays.toString(input.shape()) + " and " + Arrays.toString(target.shape()));
        }
    }

    /** Images of one shape to {@code [N, C, H, W]} in [0, 1], corrupted per record for the input. */
    public static AutoencoderBatch ofImages(List<ImageRecord> images, Corruption corruption, long seed, int epoch) {
        INDArray clean = ImageTensors.features(images);
        return of(clean, images.stream().map(ImageRecord::id).toList(), corruption, seed, epoch);
    }

    /** Feature rows standardised by {@code stats} to {@code [N, F]}, corrupted per record for the input. */
    public static AutoencoderBatch ofFeatures(List<FeatureRecord> rows, FeatureStats stats, Corruption corruption,
            long seed, int epoch) {
        INDArray clean = stats.standardize(rows);
        return of(clean, rows.stream().map(FeatureRecord::id).toList(), corruption, seed, epoch);
    }

    /**
     * A clean batch {@code [N, ...]} whose row {@code i} is the record {@code ids.get(i)}, corrupted per record for
     * the input.
     */
    public static AutoencoderBatch of(INDArray clean, List<String> ids, Corruption corruption, long seed, int epoch) {
        INDArray input = corruption.isNone() ? clean : corruption.corrupt(clean, ids, seed, epoch);
        return new AutoencoderBatch(input, clean);
    }
}
