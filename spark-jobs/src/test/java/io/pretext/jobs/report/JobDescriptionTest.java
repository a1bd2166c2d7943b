package io.pretext.jobs.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every Spark job of a real pretraining run and its evaluation names its pipeline step, so the UI reads as one. */
class JobDescriptionTest {

    @Test
    void everyJobAndStageCarriesADescription() {
        List<ReportRuns.Job> jobs = ReportRuns.jobs();
        assertTrue(jobs.size() > 10, "jobs seen: " + jobs.size());
        for (ReportRuns.Job job : jobs) {
            assertTrue(job.description() != null && !job.description().isBlank(), "job " + job.id()
                    + " has no description");
            for (String stage : job.stageDescriptions()) {
                assertFalse(stage.isBlank(), "a stage of job " + job.id() + " (" + job.description() + ")");
            }
        }
    }

    @Test
    void descriptionsNameEveryPipelineStep() {
        List<String> descriptions = ReportRuns.jobs().stream().map(ReportRuns.Job::description).toList();
        for (String step : List.of("decode and validate images under", "fingerprint the training data",
                "report: pick", "shard epoch 1", "train epoch 1 round 1/3", "shard epoch 2", "train epoch 2 round 3/3",
                "evaluate: read labelled test set",
                "evaluate linear-probe: pretrained encoder", "evaluate linear-probe: random-init encoder",
                "evaluate knn: pretrained encoder", "evaluate knn: random-init encoder")) {
            assertTrue(descriptions.stream().anyMatch(d -> d.startsWith(step)), step + " not among " + descriptions);
        }
    }
}
