package io.pretext.jobs.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pretext.jobs.Pretext;
import io.pretext.jobs.SampleImages;
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
 * {@code pretext pretrain simclr --data DATASET_DIR} trains exactly as on the corpus the dataset was made from: same
 * records, same seed, so the same batches, losses and final parameters.
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
}
