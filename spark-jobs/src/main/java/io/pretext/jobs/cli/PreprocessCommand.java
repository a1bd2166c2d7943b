package io.pretext.jobs.cli;

import io.pretext.data.dataset.DatasetManifest;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.preprocess.PreprocessConfig;
import io.pretext.jobs.preprocess.PreprocessJob;
import io.pretext.jobs.preprocess.PreprocessPlan;
import io.pretext.jobs.preprocess.PreprocessSummary;
import io.pretext.jobs.storage.HadoopPaths;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code pretext preprocess}: a corpus decoded, validated, deduplicated and (text) packed once, into shards. */
@Command(name = "preprocess", mixinStandardHelpOptions = true,
        description = "Clean, deduplicate and tokenize/decode a corpus once into dataset shards that training "
                + "runs stream (pretext pretrain ... --data DATASET_DIR). Reruns skip what is done, resume what "
                + "was interrupted and append new input partitions.")
public final class PreprocessCommand implements Callable<Integer> {

    @Option(names = "--kind", required = true, paramLabel = "image|text", description = "what the corpus holds")
    String kind;

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "the corpus (Hadoop URI or local "
            + "path); with input.partitioning=folders, one sub-folder per partition")
    String data;

    @Option(names = "--out", required = true, paramLabel = "DATASET_DIR",
            description = "dataset directory (Hadoop URI or local path): created, resumed or appended to")
    String out;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (sections data, input, text, "
            + "dedup, shards)")
    String config;

    @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "override one setting, repeatable")
    List<String> sets = new ArrayList<>();

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        if (!DatasetManifest.KIND_IMAGE.equals(kind) && !DatasetManifest.KIND_TEXT.equals(kind)) {
            throw new IllegalArgumentException("--kind must be image or text, got " + kind);
        }
        PreprocessConfig resolved = PreprocessConfig.resolve(kind,
                ConfigSource.load(PreprocessConfig.sections(kind), Map.of(), config, sets));
        PreprocessPlan plan = PreprocessPlan.make(resolved, data, out, HadoopPaths.configuration());
        PreprocessSummary summary;
        if (plan.isUpToDate()) {
            summary = PreprocessJob.upToDate(plan);
        } else {
            try (SparkSession session = spark.session("pretext preprocess " + kind)) {
                summary = PreprocessJob.run(session, plan);
            }
        }
        System.out.println(summary.toJson());
        return 0;
    }
}
