package io.pretext.jobs.autoencoder;

import io.pretext.data.image.ImageRecord;
import io.pretext.jobs.pretrain.ImageTrainingData;
import io.pretext.jobs.report.ReportSection;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.zoo.autoencoder.AutoencoderConfig;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;

import java.util.ArrayList;
import java.util.List;

/** An autoencoder of images: the model's input is {@code [data.channels, data.height, data.width]} in [0, 1]. */
final class ImageAutoencoderSpec extends AutoencoderSpec<ImageRecord> {

    ImageAutoencoderSpec(AutoencoderRunConfig config, String dataPath) {
        super(config, dataPath);
    }

    @Override
    public String exampleUnit() {
        return "images";
    }

    @Override
    AutoencoderConfig autoencoder() {
        return config.model();
    }

    @Override
    AutoencoderInput<ImageRecord> input() {
        return AutoencoderInput.images();
    }

    @Override
    LoadedData<ImageRecord> read(SparkSession spark, RunDirectory run) {
        return ImageTrainingData.load(spark, run, dataPath, config.imageData());
    }

    @Override
    List<ReportSection> trainedSections(JavaRDD<ImageRecord> records, ComputationGraph graph,
                                        AnomalyThreshold threshold) {
        long seed = config.train().seed();
        records.context().setJobDescription("report: pick " + AutoencoderReport.IMAGES + " training images to "
                + "reconstruct");
        List<ImageRecord> images = AutoencoderReport.pick(records, input(), AutoencoderReport.IMAGES, seed);
        List<ReportSection> sections = new ArrayList<>();
        sections.add(AutoencoderReport.reconstructions(images, graph, config, autoencoder()));
        if (autoencoder().isVariational()) {
            sections.add(AutoencoderReport.priorSamples(graph, autoencoder(), seed));
        }
        sections.add(AutoencoderReport.scores(threshold, autoencoder()));
        return sections;
    }
}
