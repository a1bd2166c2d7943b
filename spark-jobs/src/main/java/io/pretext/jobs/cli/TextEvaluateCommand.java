package io.pretext.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.jobs.bert.BertRun;
import io.pretext.jobs.bert.MlmEvaluation;
import io.pretext.jobs.bert.TextProbe;
import io.pretext.jobs.report.RunReport;
import io.pretext.jobs.storage.HadoopPaths;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The evaluations of BERT runs: {@code pretext evaluate mlm} and {@code pretext evaluate text-probe}. */
public final class TextEvaluateCommand {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TextEvaluateCommand() {
    }

    @Command(name = "mlm", mixinStandardHelpOptions = true,
            description = "Masked-token accuracy, perplexity and next-sentence accuracy of a BERT run on held-out "
                    + "text, next to the data's most-frequent-token, unigram and majority-class baselines.")
    public static final class Mlm implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a finished BERT run")
        String model;

        @Option(names = "--data", required = true, paramLabel = "PATH", description = "held-out text")
        String data;

        @Option(names = "--set", paramLabel = "eval.KEY=VALUE", description = "override an eval setting")
        List<String> sets = new ArrayList<>();

        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            BertRun run = BertRun.open(model, sets);
            HadoopPaths.requireExists(data, "--data");
            try (SparkSession session = spark.session("pretext evaluate mlm")) {
                ObjectNode result = MlmEvaluation.run(session, run.dir(), run.config(), run.vocab(), run.pretrained(),
                        data);
                System.out.println(JSON.writeValueAsString(result));
            }
            RunReport.refresh(run.dir());
            return 0;
        }
    }

    @Command(name = "text-probe", mixinStandardHelpOptions = true,
            description = "Logistic regression on a BERT run's frozen [CLS] and mean-pooled features of labelled "
                    + "documents, next to a bag-of-words logistic regression: accuracy and F1.")
    public static final class Probe implements Callable<Integer> {
        @Option(names = "--model", required = true, paramLabel = "RUN_DIR", description = "a finished BERT run")
        String model;

        @Option(names = "--train", required = true, paramLabel = "PATH",
                description = "labelled training documents (one sub-folder per class)")
        String train;

        @Option(names = "--test", required = true, paramLabel = "PATH", description = "labelled test documents")
        String test;

        @Option(names = "--set", paramLabel = "eval.KEY=VALUE", description = "override an eval setting")
        List<String> sets = new ArrayList<>();

        @Mixin
        SparkOptions spark;

        @Override
        public Integer call() throws Exception {
            BertRun run = BertRun.open(model, sets);
            HadoopPaths.requireExists(train, "--train");
            HadoopPaths.requireExists(test, "--test");
            try (SparkSession session = spark.session("pretext evaluate text-probe")) {
                ObjectNode result = TextProbe.run(session, run.dir(), run.config(), run.vocab(), run.encoder(), train,
                        test);
                System.out.println(JSON.writeValueAsString(result));
            }
            RunReport.refresh(run.dir());
            return 0;
        }
    }
}
