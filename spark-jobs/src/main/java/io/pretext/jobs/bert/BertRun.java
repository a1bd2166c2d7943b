package io.pretext.jobs.bert;

import io.pretext.data.text.Vocabulary;
import io.pretext.jobs.config.ConfigSource;
import io.pretext.jobs.pretrain.RunManifest;
import io.pretext.jobs.storage.RunDirectory;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A finished BERT pretraining run, as evaluation, fine-tuning and embeddings use it: its resolved configuration
 * ({@code config.yaml}, with {@code eval.*} overrides), its vocabulary ({@code vocab.txt}) and its models.
 */
public record BertRun(RunDirectory dir, BertRunConfig config, Vocabulary vocab) {

    /**
     * @param evalSets {@code eval.KEY=VALUE} overrides; other sections are the run's own
     * @throws IllegalArgumentException when the location is not a finished BERT run
     */
    public static BertRun open(String location, List<String> evalSets) {
        RunDirectory dir = RunDirectory.open(location);
        RunManifest manifest = RunManifest.read(dir);
        if (!manifest.model().equals("bert")) {
            throw new IllegalArgumentException(location + " is a " + manifest.model() + " run; this command takes "
                    + "a BERT pretraining run (pretext pretrain bert)");
        }
        for (String set : evalSets) {
            if (!set.startsWith("eval.")) {
                throw new IllegalArgumentException("--set " + set + ": only eval.* settings can change after "
                        + "pretraining; the rest is the run's own config.yaml");
            }
        }
        Vocabulary vocab = BertVocab.of(dir);
        BertRunConfig config = BertRunConfig.resolve(ConfigSource.load(BertRunConfig.SECTIONS, Map.of(),
                dir.path(RunDirectory.CONFIG).toString(), evalSets), vocab);
        return new BertRun(dir, config, vocab);
    }

    /** The pretraining graph (masked LM + next sentence) as trained, {@code model.zip}. */
    public ComputationGraph pretrained() {
        return restore(RunDirectory.MODEL);
    }

    /** The encoder alone, {@code encoder.zip}: outputs the token states, the [CLS] state and the pooled output. */
    public ComputationGraph encoder() {
        return restore(RunDirectory.ENCODER);
    }

    private ComputationGraph restore(String file) {
        if (!dir.exists(file)) {
            throw new IllegalArgumentException(dir + " has no " + file + " (the run did not finish; --resume it "
                    + "first)");
        }
        try (InputStream in = dir.openInput(file)) {
            return ModelSerializer.restoreComputationGraph(in, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.path(file), e);
        }
    }
}
