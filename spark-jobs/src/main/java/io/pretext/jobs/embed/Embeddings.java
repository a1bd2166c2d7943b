package io.pretext.jobs.embed;

import io.pretext.jobs.storage.HadoopPaths;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;

/** The Parquet layout of {@code pretext embed} output, and writing it so no partial output appears. */
public final class Embeddings {

    /** id (string), label (string, nullable), vector (array of float). */
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("vector", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private Embeddings() {
    }

    public static Row row(String id, String label, float[] vector) {
        Float[] boxed = new Float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            boxed[i] = vector[i];
        }
        return RowFactory.create(id, label, boxed);
    }

    /** Writes Parquet to a temporary sibling and renames it onto {@code output}; an existing output is refused. */
    public static long write(Dataset<Row> rows, String output) {
        Path target = HadoopPaths.of(output);
        try {
            FileSystem fs = HadoopPaths.fileSystem(target);
            if (fs.exists(target)) {
                throw new IllegalArgumentException("--output " + output + " already exists (choose a new path)");
            }
            Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
            Dataset<Row> cached = rows.cache();
            try {
                cached.write().mode(SaveMode.ErrorIfExists).parquet(tmp.toString());
                if (!fs.rename(tmp, target)) {
                    throw new IOException("rename " + tmp + " -> " + target + " failed");
                }
                return cached.count();
            } finally {
                cached.unpersist();
                if (fs.exists(tmp)) {
                    fs.delete(tmp, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write embeddings to " + output + ": " + e.getMessage(), e);
        }
    }
}
