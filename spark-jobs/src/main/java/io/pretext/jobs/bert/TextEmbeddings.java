package io.pretext.jobs.bert;

import io.pretext.data.text.TextCorpus;
import io.pretext.data.text.Vocabulary;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;

import java.io.Serializable;

/** A BERT run's document vectors for {@code pretext embed}, pooled as the run's {@code eval.pooling} says. */
public final class TextEmbeddings {

    /** One document's embedding. */
    public record Vector(String id, String label, float[] vector) implements Serializable {
    }

    private TextEmbeddings() {
    }

    /** The documents under {@code input} (read as the run reads text, format detected), embedded in the executors. */
    public static JavaRDD<Vector> of(SparkSession spark, BertRun run, String input) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        BertRunConfig config = run.config();
        TextCorpus corpus = TextCorpus.open(spark, input, config.data().withFormat("auto")).requireUsable();
        Broadcast<Vocabulary> vocab = sc.broadcast(run.vocab());
        TextFeatures features = new TextFeatures(sc, run.encoder(), run.vocab().padId(), config.eval().batchSize());
        String pooling = config.eval().pooling();
        sc.setJobDescription("embed documents under " + input + " (" + pooling + " pooling)");
        return features.extract(DocumentEncoding.encode(corpus.documents(), vocab, config.documentLength()))
                .map(v -> new Vector(v.id(), v.label(), v.pooled(pooling)));
    }
}
