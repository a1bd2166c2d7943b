package io.pretext.jobs.preprocess;

import io.pretext.data.dataset.ContentHash;
import io.pretext.data.dataset.DedupConfig;
import io.pretext.data.dataset.DocumentKey;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.MinHashLSH;
import org.apache.spark.ml.feature.MinHashLSHModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.col;

/**
 * Near-duplicate documents with Spark MLlib's {@link MinHashLSH}: each document is the set of its word shingles
 * ({@link ContentHash#shingles}) as a binary vector; every pair that shares a MinHash value in one of
 * {@code dedup.hashTables} tables is a candidate, and its exact Jaccard similarity decides. Of a pair at least
 * {@code dedup.similarity} alike, the document that sorts later is removed: a new one when the other is already in
 * the dataset, else the one with the larger id. The rule is applied pair by pair, so in a chain A~B~C (A and C not
 * alike) both B and C go; which documents go depends only on the documents and the seed.
 */
final class NearDuplicates {

    private static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("existing", DataTypes.BooleanType, false)
            .add("features", SQLDataTypes.VectorType(), false);

    private NearDuplicates() {
    }

    /**
     * The ids of {@code fresh} documents to remove.
     *
     * @param fresh    the partition's documents, exact duplicates already removed
     * @param existing the documents already in the dataset (with their shingles), or null when there are none
     */
    static JavaRDD<String> find(SparkSession spark, JavaRDD<DocumentKey> fresh, JavaRDD<DocumentKey> existing,
                                DedupConfig config, long seed) {
        JavaRDD<Row> rows = fresh.filter(d -> d.shingles().length > 0).map(d -> row(d, false));
        if (existing != null) {
            rows = rows.union(existing.filter(d -> d.shingles().length > 0).map(d -> row(d, true)));
        }
        Dataset<Row> all = spark.createDataFrame(rows, SCHEMA);
        Dataset<Row> candidates = all.filter(col("existing").equalTo(false));
        // fitting MinHash only reads the vector size of one row: a one-row local frame keeps it off the corpus
        Row probe = row(new DocumentKey("", "", new int[] {0}), false);
        MinHashLSHModel model = new MinHashLSH().setNumHashTables(config.hashTables()).setSeed(seed)
                .setInputCol("features").setOutputCol("hashes")
                .fit(spark.createDataFrame(List.of(probe), SCHEMA));
        // Spark keeps pairs with distance strictly below the threshold; a pair exactly at the similarity counts
        double maxDistance = Math.nextUp(1 - config.similarity());
        return model.approxSimilarityJoin(candidates, all, maxDistance, "distance")
                .filter(col("datasetA.id").notEqual(col("datasetB.id"))
                        .and(col("datasetB.existing").or(col("datasetB.id").lt(col("datasetA.id")))))
                .select(col("datasetA.id"))
                .distinct()
                .javaRDD()
                .map(r -> r.getString(0));
    }

    private static Row row(DocumentKey d, boolean existing) {
        double[] ones = new double[d.shingles().length];
        Arrays.fill(ones, 1.0);
        return RowFactory.create(d.id(), existing, Vectors.sparse(ContentHash.SHINGLE_SPACE, d.shingles(), ones));
    }
}
