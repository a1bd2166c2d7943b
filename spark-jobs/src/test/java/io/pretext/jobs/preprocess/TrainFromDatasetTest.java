package io.pretext.jobs.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
import io.pretext.jobs.SampleText;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code pretext pretrain simclr|bert --data DATASET_DIR} trains exactly as on the corpus the dataset was made from:
 * same records (images; packed sequences), same seed, so the same batches, losses and final parameters.
 */
class TrainFromDatasetTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String[] pretrain(Path data, Path out) {
        return new String[] {"pretrain", "simclr", "--data", data.toString(), "--out", out.toString(),
                "--master", "local[2]", "--set", "data.channels=1", "--set", "data.height=28",
                "--set", "data.width=28", "--set", "train.workers=2", "--set", "train.batchSize=16",
                "--set", "train.averagingFrequency=2", "--set", "train.epochs=2", "--set", "train.logEverySteps=1",
                "--set", "optimizer.warmupSteps=2"};
    }

    private static List<Double> losses(Path run) throws Exception {
        List<Double> out = new ArrayList<>();
        for (JsonNode line : Preprocessing.jsonLines(run.resolve("metrics.jsonl"))) {
            out.add(line.get("loss").asDouble());
        }
        return out;
    }

    @Test
    void trainingFromTheDatasetMatchesTrainingFromTheCorpus() throws Exception {
        Path images = SampleImages.copy("train", List.of("trouser", "bag", "sneaker", "dress"), 24,
                dir.resolve("images"));
        Path dataset = dir.resolve("dataset");
        Preprocessing.Result made = Preprocessing.preprocess("image", images, dataset, "data.channels=1",
                "data.height=28", "data.width=28", "shards.targetBytes=16384");
        assertEquals(0, made.exit(), made.err());
        assertEquals(0, Preprocessing.manifest(dataset).get("counts").get("duplicates").get("exact").asLong(),
                "the comparison needs a corpus without duplicates");

        Path fromCorpus = dir.resolve("from-corpus");
        Path fromDataset = dir.resolve("from-dataset");
        assertEquals(0, Pretext.run(pretrain(images, fromCorpus)));
        assertEquals(0, Pretext.run(pretrain(dataset, fromDataset)));

        JsonNode corpusSummary = JSON.readTree(fromCorpus.resolve("summary.json").toFile());
        JsonNode datasetSummary = JSON.readTree(fromDataset.resolve("summary.json").toFile());
        assertEquals(96, corpusSummary.get("recordsUsed").asLong());
        assertEquals(corpusSummary.get("recordsUsed"), datasetSummary.get("recordsUsed"));
        assertEquals(corpusSummary.get("steps"), datasetSummary.get("steps"));
        List<Double> corpusLosses = losses(fromCorpus);
        assertTrue(corpusLosses.size() >= 3, corpusLosses.toString());
        assertEquals(corpusLosses, losses(fromDataset));

        ComputationGraph a = ModelSerializer.restoreComputationGraph(fromCorpus.resolve("model.zip").toFile(), false);
        ComputationGraph b = ModelSerializer.restoreComputationGraph(fromDataset.resolve("model.zip").toFile(), false);
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector());
    }

    private static String[] pretrainBert(Path data, Path out) {
        return new String[] {"pretrain", "bert", "--data", data.toString(), "--out", out.toString(),
                "--vocab", Preprocessing.vocab(), "--master", "local[2]", "--set", "model.preset=", "--set", "model.layers=1",
                "--set", "model.hiddenSize=32", "--set", "model.heads=2", "--set", "text.maxSeqLength=64",
                "--set", "train.seed=7", "--set", "train.workers=2", "--set", "train.batchSize=16",
                "--set", "train.averagingFrequency=2", "--set", "train.epochs=1", "--set", "train.logEverySteps=1",
                "--set", "optimizer.warmupSteps=2", "--set", "eval.reportSequences=2"};
    }

    @Test
    void bertTrainingFromTheDatasetMatchesTrainingFromTheCorpus() throws Exception {
        Path text = SampleText.copy("moby-dick", 0, 8, dir.resolve("chapters"));
        Path dataset = dir.resolve("text-dataset");
        Preprocessing.Result made = Preprocessing.preprocess("text", text, dataset, "text.maxSeqLength=64",
                "text.seed=7", "shards.targetBytes=65536", "text.vocab=" + Preprocessing.vocab());
        assertEquals(0, made.exit(), made.err());

        Path fromCorpus = dir.resolve("bert-from-corpus");
        Path fromDataset = dir.resolve("bert-from-dataset");
        Preprocessing.Result corpusRun = Preprocessing.run(pretrainBert(text, fromCorpus));
        assertEquals(0, corpusRun.exit(), corpusRun.err());
        Preprocessing.Result datasetRun = Preprocessing.run(pretrainBert(dataset, fromDataset));
        assertEquals(0, datasetRun.exit(), datasetRun.err());

        JsonNode corpusSummary = JSON.readTree(fromCorpus.resolve("summary.json").toFile());
        JsonNode datasetSummary = JSON.readTree(fromDataset.resolve("summary.json").toFile());
        assertTrue(corpusSummary.get("recordsUsed").asLong() > 50, corpusSummary.toString());
        assertEquals(corpusSummary.get("recordsUsed"), datasetSummary.get("recordsUsed"));
        assertEquals(corpusSummary.get("steps"), datasetSummary.get("steps"));
        List<Double> corpusLosses = losses(fromCorpus);
        assertTrue(corpusLosses.size() >= 3, corpusLosses.toString());
        assertEquals(corpusLosses, losses(fromDataset));
        ComputationGraph a = ModelSerializer.restoreComputationGraph(fromCorpus.resolve("model.zip").toFile(), false);
        ComputationGraph b = ModelSerializer.restoreComputationGraph(fromDataset.resolve("model.zip").toFile(), false);
        assertArrayEquals(a.params().toFloatVector(), b.params().toFloatVector());
    }

    @Test
    void bertRefusesADatasetPackedLongerThanItsSequences() throws Exception {
        Path text = SampleText.copy("moby-dick", 20, 3, dir.resolve("few"));
        Path dataset = dir.resolve("long-dataset");
        assertEquals(0, Preprocessing.preprocess("text", text, dataset, "text.maxSeqLength=128",
                "text.vocab=" + Preprocessing.vocab()).exit());
        Preprocessing.Result r = Preprocessing.run(pretrainBert(dataset, dir.resolve("refused")));
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().contains("text.maxSeqLength=128"), r.err());
    }
}
