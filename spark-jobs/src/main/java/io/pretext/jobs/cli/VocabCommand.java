package io.pretext.jobs.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.data.text.TextCorpus;
import io.pretext.data.text.TextDataConfig;
import io.pretext.data.text.TextReport;
import io.pretext.data.text.VocabBuilder;
import io.pretext.data.text.VocabConfig;
import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.storage.HadoopPaths;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code pretext vocab}: a WordPiece vocabulary for a corpus. Words are counted in the executors after BERT's
 * basic tokenization (lower case, accents stripped, punctuation split); the pieces are merged on the driver
 * ({@link VocabBuilder}). The file is {@code vocab.txt}, one token a line, for {@code pretext pretrain bert --vocab}.
 */
@Command(name = "vocab", mixinStandardHelpOptions = true,
        description = "Build a WordPiece vocabulary (vocab.txt) from a text corpus, for pretrain bert --vocab.")
public final class VocabCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Option(names = "--data", required = true, paramLabel = "PATH", description = "text corpus")
    String data;

    @Option(names = "--size", paramLabel = "N", description = "vocabulary entries, special tokens included "
            + "(default 30522, bert-base's; sets vocab.vocabSize)")
    Integer size;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "the vocabulary file (must not exist)")
    String out;

    @Option(names = "--set", paramLabel = "SECTION.KEY=VALUE",
            description = "a data.* or vocab.* setting (vocab.minCharCount, vocab.minPairCount), repeatable")
    List<String> sets = new ArrayList<>();

    @Mixin
    SparkOptions spark;

    @Override
    public Integer call() throws IOException {
        List<String> all = new ArrayList<>(sets);
        if (size != null) {
            all.add("vocab.vocabSize=" + size);
        }
        ConfigSource source = ConfigSource.load(Set.of("data", "vocab"), Map.of(), null, all);
        TextDataConfig dataConfig = source.section("data", TextDataConfig.defaults());
        VocabConfig vocabConfig = source.section("vocab", VocabConfig.defaults());
        HadoopPaths.requireExists(data, "--data");
        Path target = HadoopPaths.of(out);
        if (HadoopPaths.fileSystem(target).exists(target)) {
            throw new IllegalArgumentException("--out " + out + " already exists (choose a new file)");
        }
        try (SparkSession session = spark.session("pretext vocab")) {
            TextCorpus corpus = TextCorpus.open(session, data, dataConfig).requireUsable();
            TextReport report = corpus.rejects();
            Vocabulary vocab = VocabBuilder.build(corpus, vocabConfig);
            vocab.write(HadoopPaths.qualified(out), session.sparkContext().hadoopConfiguration());
            ObjectNode result = JSON.createObjectNode();
            result.put("vocab", HadoopPaths.qualified(out));
            result.put("size", vocab.size());
            result.put("sha256", vocab.sha256());
            result.put("data", HadoopPaths.qualified(data));
            result.put("documentsRead", report.read());
            result.put("documentsUsed", report.usable());
            ObjectNode rejected = result.putObject("rejected");
            report.counts().forEach((reason, n) -> {
                if (reason.rejects()) {
                    rejected.put(reason.key(), n);
                }
            });
            System.out.println(JSON.writeValueAsString(result));
        }
        return 0;
    }
}
