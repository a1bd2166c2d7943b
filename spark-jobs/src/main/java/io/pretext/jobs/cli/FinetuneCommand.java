package io.pretext.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.jobs.bert.BertRun;
import io.pretext.jobs.bert.FinetuneEvaluation;
import io.pretext.jobs.bert.FinetuneRunConfig;
import io.pretext.jobs.bert.FinetuneSpec;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.pretrain.PretrainDriver;
import io.pretext.jobs.pretrain.RunSummary;
import io.pretext.jobs.report.RunReport;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code pretext finetune}: a BERT run's encoder with a classification head, trained unfrozen on labelled documents
 * on Spark, then scored on the test documents next to a bag-of-words baseline. Writes a run directory like
 * pretraining.
 */
@Command(name = "finetune", mixinStandardHelpOptions = true,
        description = "Fine-tune a BERT run as a document classifier and report test accuracy and F1 next to a "
                + "bag-of-words baseline.")
public final class FinetuneCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a finished BERT run")
    String model;

    @Option(names = "--train", required = true, paramLabel = "PATH",
            description = "labelled training documents (one sub-folder per class)")
    String train;

    @Option(names = "--test", required = true, paramLabel = "PATH", description = "labelled test documents")
    String test;

    @Option(names = "--out", required = true, paramLabel = "RUN_DIR", description = "the fine-tuning run directory")
    String out;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (data, model, optimizer, "
            + "train, eval)")
    String config;

    @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE", description = "override one setting, repeatable")
    List<String> sets = new ArrayList<>();

    @Option(names = "--resume", arity = "0..1", fallbackValue = "latest", paramLabel = "latest|auto",
            description = "continue from the newest valid checkpoint (auto: or start when there is none)")
    String resume;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws Exception {
        BertRun pretrained = BertRun.open(model, List.of());
        FinetuneRunConfig resolved = FinetuneRunConfig.resolve(ConfigSource.load(FinetuneRunConfig.SECTIONS,
                Map.of(), config, sets), pretrained);
        HadoopPaths.requireExists(train, "--train");
        HadoopPaths.requireExists(test, "--test");
        PretrainDriver.Resume mode = resumeMode();
        FinetuneSpec spec = new FinetuneSpec(resolved, pretrained, train, test);
        RunDirectory dir = PretrainDriver.prepare(spec, train, out, mode);
        try (SparkSession session = spark.session("pretext finetune")) {
            RunSummary summary = PretrainDriver.run(session, spec, dir, mode);
            ComputationGraph classifier;
            try (InputStream in = dir.openInput(RunDirectory.MODEL)) {
                classifier = ModelSerializer.restoreComputationGraph(in, false);
            }
            ObjectNode result = FinetuneEvaluation.run(session, dir, spec, resolved, pretrained.vocab(), classifier);
            ObjectNode printed = JSON.createObjectNode();
            printed.set("summary", JSON.readTree(summary.toJson()));
            printed.set(FinetuneEvaluation.NAME, result);
            System.out.println(JSON.writeValueAsString(printed));
        }
        RunReport.refresh(dir);
        return 0;
    }

    private PretrainDriver.Resume resumeMode() {
        if (resume == null) {
            return PretrainDriver.Resume.NO;
        }
        return switch (resume) {
            case "latest" -> PretrainDriver.Resume.REQUIRED;
            case "auto" -> PretrainDriver.Resume.AUTO;
            default -> throw new IllegalArgumentException("--resume takes latest or auto, got " + resume);
        };
    }
}
