package io.pretext.data.dataset;

import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet row of a text dataset's document index: a kept document's id, its {@link ContentHash} and, with
 * near-duplicate removal on, its shingles (int32 little-endian). Text shards hold packed sequences, in which
 * documents can no longer be told apart, so later partitions are deduplicated against this index.
 */
public final class DocumentIndex {

    private static final String SCHEMA = """
            message document_index {
              required binary id (STRING);
              required binary hash (STRING);
              required binary shingles;
            }""";

    public static final StructType SPARK_SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("hash", DataTypes.StringType, false)
            .add("shingles", DataTypes.BinaryType, false);

    private static final RowWriter<DocumentKey> ROWS = (d, out) -> {
        RowWriter.string(out, "id", 0, d.id());
        RowWriter.string(out, "hash", 1, d.hash());
        RowWriter.bytes(out, "shingles", 2, SequenceShards.pack(d.shingles(), false));
    };

    public static final ShardFormat<DocumentKey> FORMAT = new ShardFormat<>(SCHEMA, ROWS, Map.of());

    private DocumentIndex() {
    }

    public static DocumentKey read(Row row) {
        return new DocumentKey(row.getString(0), row.getString(1),
                SequenceShards.unpack((byte[]) row.get(2), false));
    }
}
