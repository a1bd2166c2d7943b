package io.pretext.jobs.pretrain;

import io.pretext.data.image.ImageCorpus;
import io.pretext.data.image.ImageDataConfig;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.RejectReport;
import io.pretext.jobs.storage.RunDirectory;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The training images of an image model family: decoded and validated in the executors, rejects counted by reason
 * and the first ones listed in {@code rejected.jsonl}, and a corpus with nothing usable refused.
 */
public final class ImageTrainingData {

    private static final Logger log = LoggerFactory.getLogger(ImageTrainingData.class);

    private ImageTrainingData() {
    }

    /** {@link PretrainSpec#load} for images under {@code dataPath}. */
    public static PretrainSpec.LoadedData<ImageRecord> load(SparkSession spark, RunDirectory run, String dataPath,
                                                           ImageDataConfig config) {
        spark.sparkContext().setJobDescription("read and decode images from " + dataPath);
        ImageCorpus corpus = ImageCorpus.open(spark, dataPath, config);
        RejectReport report = corpus.rejects();
        RejectLog.write(run, report.samples().stream()
                .map(r -> new RejectLog.Entry(r.id(), r.reason().key(), r.detail())).toList());
        if (report.rejected() > 0) {
            log.warn("rejected {} of {} inputs: {} (first {} listed in {})", report.rejected(), report.read(),
                    report.countsText(), report.samples().size(), run.path(RunDirectory.REJECTED));
        }
        corpus.requireUsable();
        Map<String, Long> rejected = new LinkedHashMap<>();
        report.counts().forEach((reason, n) -> rejected.put(reason.key(), n));
        long count = corpus.count();
        String fingerprint = DataFingerprint.of(corpus.records().map(ImageRecord::id), count);
        return new PretrainSpec.LoadedData<>(corpus.records(), count, report.read(), rejected, fingerprint);
    }
}
