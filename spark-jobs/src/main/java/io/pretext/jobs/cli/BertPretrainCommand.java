package io.pretext.jobs.cli;

import io.pretext.jobs.bert.BertRunConfig;
import io.pretext.jobs.bert.BertSpec;
import io.pretext.jobs.bert.BertVocab;
import io.pretext.jobs.pretrain.PretrainDriver;
import io.pretext.jobs.pretrain.RunSummary;
import io.pretext.jobs.storage.HadoopPaths;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code pretext pretrain bert}: masked-LM + next-sentence pretraining on a text corpus. */
@Command(name = "bert", mixinStandardHelpOptions = true,
        description = "BERT: masked-language-model and next-sentence pretraining of a transformer text encoder.")
public final class BertPretrainCommand implements Callable<Integer> {

    @Mixin
    PretrainCommand.RunOptions run;

    @Option(names = "--vocab", paramLabel = "FILE",
            description = "WordPiece vocabulary, one token per line (default: the bundled bert-base-uncased vocab)")
    String vocab;

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() {
        BertVocab.Source source = BertVocab.load(vocab);
        BertRunConfig config = BertRunConfig.resolve(run.source(BertRunConfig.SECTIONS, "bert"), source.vocabulary());
        HadoopPaths.requireExists(run.data, "--data");
        if (run.initFrom != null) {
            BertVocab.requireSame(RunDirectory.open(run.initFrom), source.vocabulary(), "--init-from " + run.initFrom);
        }
        BertSpec spec = new BertSpec(config, run.data, source);
        RunDirectory dir = PretrainDriver.prepare(spec, run.data, run.out, run.resumeMode());
        if (run.resumeMode() != PretrainDriver.Resume.NO) {
            BertVocab.requireSame(dir, source.vocabulary(), "--resume");
        }
        try (SparkSession session = spark.session("pretext pretrain bert")) {
            RunSummary summary = PretrainDriver.run(session, spec, dir, run.resumeMode(), run.initFrom);
            System.out.println(summary.toJson());
        }
        return 0;
    }
}
