package io.pretext.jobs.autoencoder;

import io.pretext.data.corrupt.Corruption;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageTensors;
import io.pretext.data.shard.Sharding;
import io.pretext.jobs.report.ReportSection;
import io.pretext.zoo.autoencoder.Autoencoder;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The autoencoder's report sections, drawn after training: training images next to their reconstructions (dae: with
 * the corrupted input in between), prior samples of a vae, and the distribution of the training scores with the
 * anomaly threshold.
 */
final class AutoencoderReport {

    /** Training images shown with their reconstructions. */
    static final int IMAGES = 12;
    /** Images per row of the reconstruction grid. */
    static final int PER_ROW = 4;
    /** Prior samples shown for a vae. */
    static final int SAMPLES = 16;

    private AutoencoderReport() {
    }

    /** A seeded, stable choice of {@code n} records across the corpus: those with the smallest order keys. */
    static <R> List<R> pick(JavaRDD<R> records, AutoencoderInput<R> input, int n, long seed) {
        return records.takeOrdered(n, new ByOrderKey<>(input, seed));
    }

    static ReportSection reconstructions(List<ImageRecord> images, ComputationGraph graph, AutoencoderRunConfig config,
                                         AutoencoderConfig model) {
        INDArray clean = ImageTensors.features(images); // [N, C, H, W]
        long seed = config.train().seed();
        List<String> ids = images.stream().map(ImageRecord::id).toList();
        INDArray corrupted = model.isDenoising() ? new Corruption(config.corrupt()).corrupt(clean, ids, seed, 0) : null;
        INDArray rebuilt = Autoencoder.reconstruct(graph, model, corrupted == null ? clean : corrupted);
        double[] errors = Autoencoder.reconstructionError(graph, model, clean).toDoubleVector();
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageRecord image = images.get(i);
            rows.add(List.of(String.valueOf(i / PER_ROW + 1), String.valueOf(i % PER_ROW + 1), image.id(),
                    image.label() == null ? "" : image.label(), String.format(Locale.ROOT, "%.5g", errors[i])));
        }
        String order = corrupted == null ? "input, reconstruction" : "input, corrupted input, reconstruction";
        String text = "Training images, each followed by " + (corrupted == null ? "its reconstruction"
                : "the corrupted copy the encoder sees (corrupt: " + config.corrupt().kind() + ", as in epoch 1) and "
                + "the reconstruction of that copy") + ", by the final model in inference mode"
                + (model.isVariational() ? " (decoded from the posterior mean)" : "") + ". The score is the "
                + "reconstruction error of the clean image, its anomaly score.";
        return new ReportSection("reconstructions", "Reconstructions", text,
                List.of(new ReportSection.Figure("reconstructions", order + " for each image; " + PER_ROW
                        + " images per row.", AutoencoderPictures.reconstructions(images, corrupted, rebuilt,
                        PER_ROW))),
                new ReportSection.Table(List.of("row", "group", "image", "label", "score"), rows));
    }

    static ReportSection priorSamples(ComputationGraph graph, AutoencoderConfig model, long seed) {
        INDArray images = AutoencoderPictures.decodedPriorSamples(graph, model, SAMPLES, seed);
        return new ReportSection("prior-samples", "Samples", "Images decoded from " + SAMPLES + " draws of the prior "
                + "N(0, I) over the " + model.latentSize() + " latent dimensions (seed " + seed + "); pretext sample "
                + "draws more.", List.of(new ReportSection.Figure("prior-samples", "Decoded prior samples.",
                AutoencoderPictures.grid(images, 8))), null);
    }

    static ReportSection scores(AnomalyThreshold threshold, AutoencoderConfig model) {
        boolean elbo = threshold.negElbo() != null;
        List<String> header = elbo ? List.of("", "reconstruction error", "negative ELBO")
                : List.of("", "reconstruction error");
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, Double> q : threshold.score().quantiles().entrySet()) {
            List<String> row = new ArrayList<>(List.of("quantile " + q.getKey(), number(q.getValue())));
            if (elbo) {
                row.add(number(threshold.negElbo().quantiles().get(q.getKey())));
            }
            rows.add(row);
        }
        rows.add(elbo ? List.of("mean", number(threshold.score().mean()), number(threshold.negElbo().mean()))
                : List.of("mean", number(threshold.score().mean())));
        rows.add(elbo ? List.of("max", number(threshold.score().max()), number(threshold.negElbo().max()))
                : List.of("max", number(threshold.score().max())));
        String text = String.format(Locale.ROOT, "Anomaly scores of the %d training records under the final model: "
                        + "the reconstruction error (mean %s over an example's values)%s. pretext score calls a record "
                        + "an anomaly when its reconstruction error is above %s, the %s quantile "
                        + "(eval.anomalyQuantile) of these.", threshold.records(), model.reconstructionLoss(),
                elbo ? ", and the negative ELBO in nats" : "", number(threshold.score().threshold()),
                threshold.quantile());
        return new ReportSection("anomaly-scores", "Anomaly scores", text, List.of(),
                new ReportSection.Table(header, rows));
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.5g", v);
    }

    /** Records by {@link Sharding#orderKey} of their id under a seed. */
    private record ByOrderKey<R>(AutoencoderInput<R> input, long seed) implements Comparator<R>, Serializable {
        @Override
        public int compare(R a, R b) {
            return Long.compare(Sharding.orderKey(input.id(a), seed, 0), Sharding.orderKey(input.id(b), seed, 0));
        }
    }
}
