package io.pretext.data.text;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parquet file(s) with the document text in a string (or binary) column {@code data.textField}; optional
 * id and label columns. The text is read as its raw bytes (cast to binary), so invalid UTF-8 stored in a
 * string column is found and counted like in files. Without an id column the id is
 * {@code <file name>#<row index in file>}.
 */
final class TextParquetSource {

    private static final Logger LOG = LoggerFactory.getLogger(TextParquetSource.class);

    private TextParquetSource() {
    }

    static JavaRDD<TextOutcome> decode(SparkSession spark, TextFiles files, TextDataConfig config) {
        Dataset<Row> df = spark.read().parquet(files.root.toString());
        StructType schema = df.schema();
        requireTextColumn(files.given, schema, config.textField());
        boolean hasLabel = hasField(schema, config.labelField());
        boolean hasId = hasField(schema, config.idField());
        Column label = hasLabel ? col(config.labelField()).cast(DataTypes.StringType)
                : lit(null).cast(DataTypes.StringType);
        Column id = hasId ? col(config.idField()).cast(DataTypes.StringType)
                : concat(col("_metadata.file_name"), lit("#"), col("_metadata.row_index").cast(DataTypes.StringType));
        Dataset<Row> rows = df.select(id, label, col(config.textField()).cast(DataTypes.BinaryType));
        if (config.partitions() > 0) {
            rows = rows.repartition(config.partitions());
        }
        LOG.info("text Parquet {}: {} files, text column {}, label column {}, id column {}", files.given,
                files.parquet.size(), config.textField(), hasLabel ? config.labelField() : "(none)",
                hasId ? config.idField() : "(none: file#row)");
        return rows.javaRDD().mapPartitions(it -> new Decoding(it, new TextDecoder(config)));
    }

    private static void requireTextColumn(String given, StructType schema, String name) {
        if (!hasField(schema, name)) {
            throw new IllegalArgumentException("Parquet corpus " + given + " has no text column \"" + name
                    + "\" (data.textField); its string columns are " + textColumns(schema)
                    + " (set data.textField in the data: section)");
        }
        DataType type = schema.apply(name).dataType();
        if (!(type instanceof StringType) && !(type instanceof BinaryType)) {
            throw new IllegalArgumentException("Parquet corpus " + given + ": data.textField \"" + name + "\" is "
                    + type.simpleString() + ", expected string or binary; string columns are " + textColumns(schema)
                    + " (set data.textField in the data: section)");
        }
    }

    private static boolean hasField(StructType schema, String name) {
        return Arrays.asList(schema.fieldNames()).contains(name);
    }

    private static List<String> textColumns(StructType schema) {
        return Arrays.stream(schema.fields())
                .filter(f -> f.dataType() instanceof StringType || f.dataType() instanceof BinaryType)
                .map(StructField::name)
                .collect(Collectors.toList());
    }

    /** Rows (id, label, text bytes) to outcomes, lazily. */
    private record Decoding(Iterator<Row> rows, TextDecoder decoder) implements Iterator<TextOutcome> {
        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public TextOutcome next() {
            Row row = rows.next();
            String id = row.isNullAt(0) ? "(null id)" : row.getString(0);
            String label = row.isNullAt(1) ? null : row.getString(1);
            if (row.isNullAt(2)) {
                return TextOutcome.rejected(new TextIssue(id, TextIssueReason.EMPTY, "text column is null"));
            }
            return decoder.decode(id, label, (byte[]) row.get(2));
        }
    }
}
