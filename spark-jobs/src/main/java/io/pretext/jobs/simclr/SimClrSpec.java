package io.pretext.jobs.simclr;

import io.pretext.data.augment.SimClrAugmenter;
import io.pretext.data.image.ImageRecord;
import io.pretext.jobs.pretrain.ImageTrainingData;
import io.pretext.jobs.pretrain.LearningRates;
import io.pretext.jobs.pretrain.PretrainSpec;
import io.pretext.jobs.report.ReportSection;
import io.pretext.jobs.storage.RunDirectory;
import io.pretext.jobs.train.TrainingConfig;
import io.pretext.jobs.train.TrainingTask;
import io.pretext.zoo.optim.OptimizerConfig;
import io.pretext.zoo.simclr.SimClr;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.util.List;
import java.util.function.LongToDoubleFunction;

/** SimCLR pretraining: image corpus in, contrastive training, encoder out. */
public final class SimClrSpec implements PretrainSpec<ImageRecord> {

    private final SimClrRunConfig config;
    private final String dataPath;
    private OptimizerConfig optimizer;

    public SimClrSpec(SimClrRunConfig config, String dataPath) {
        this.config = config;
        this.dataPath = dataPath;
        this.optimizer = config.optimizer();
    }

    public SimClrRunConfig config() {
        return config;
    }

    @Override
    public String model() {
        return "simclr";
    }

    @Override
    public String exampleUnit() {
        return "images";
    }

    @Override
    public String resolvedConfigYaml() {
        return config.toYaml();
    }

    @Override
    public TrainingConfig training() {
        return config.train();
    }

    @Override
    public LoadedData<ImageRecord> load(SparkSession spark, RunDirectory run) {
        return ImageTrainingData.load(spark, run, dataPath, config.data());
    }

    @Override
    public ComputationGraph newGraph(long totalSteps) {
        optimizer = config.optimizer().withTotalSteps(totalSteps);
        return SimClr.init(config.model(), optimizer);
    }

    @Override
    public TrainingTask<ImageRecord> task(ComputationGraph graph) {
        return new SimClrTask(graph.getConfiguration().toJson(),
                new SimClrAugmenter(config.augment(), config.data().channels(), config.data().height(),
                        config.data().width()));
    }

    @Override
    public LongToDoubleFunction learningRate(ComputationGraph graph) {
        return LearningRates.of(graph);
    }

    @Override
    public void exportExtras(RunDirectory run, ComputationGraph trained) {
        ComputationGraph encoder = SimClr.encoderOnly(trained, config.model());
        run.writeAtomically(RunDirectory.ENCODER, out -> ModelSerializer.writeModel(encoder, out, false));
    }

    /** At the start: training images next to their two augmented views (report/augmentations.png). */
    @Override
    public List<ReportSection> reportSections(SparkSession spark, JavaRDD<ImageRecord> records,
                                              ComputationGraph graph, boolean trained) {
        return trained ? List.of() : List.of(AugmentationPreview.of(spark, records, config));
    }
}
