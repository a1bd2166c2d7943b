package io.pretext.data.image;

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
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parquet file(s) with encoded images in a binary column ({@code data.imageColumn}), or in a struct
 * column with a binary {@code bytes} field (the layout Hugging Face datasets export). Optional label
 * and id columns; without an id column the id is {@code <file name>#<row index in file>}.
 */
final class ParquetSource {

    private static final Logger LOG = LoggerFactory.getLogger(ParquetSource.class);

    private ParquetSource() {
    }

    static JavaRDD<DecodeResult> decode(SparkSession spark, CorpusFiles files, ImageDataConfig config) {
        Dataset<Row> df = spark.read().parquet(files.root.toString());
        StructType schema = df.schema();
        Column image = imageColumn(files.given, schema, config.imageColumn());
        boolean hasLabel = hasField(schema, config.labelColumn());
        boolean hasId = hasField(schema, config.idColumn());
        Column label = hasLabel ? col(config.labelColumn()).cast(DataTypes.StringType) : lit(null).cast(DataTypes.StringType);
        Column id = hasId ? col(config.idColumn()).cast(DataTypes.StringType)
                : concat(col("_metadata.file_name"), lit("#"), col("_metadata.row_index").cast(DataTypes.StringType));
        Dataset<Row> rows = df.select(id, label, image);
        if (config.partitions() > 0) {
            rows = rows.repartition(config.partitions());
        }
        LOG.info("image Parquet {}: {} files, image column {}, label column {}, id column {}", files.given,
                files.parquet.size(), config.imageColumn(), hasLabel ? config.labelColumn() : "(none)",
                hasId ? config.idColumn() : "(none: file#row)");
        return rows.javaRDD().mapPartitions(it -> new Decoding(it, new ImageDecoder(config)));
    }

    private static Column imageColumn(String given, StructType schema, String name) {
        if (!hasField(schema, name)) {
            throw new IllegalArgumentException("Parquet corpus " + given + " has no image column \"" + name
                    + "\" (data.imageColumn); its binary columns are " + binaryColumns(schema)
                    + " (set data.imageColumn in the data: section)");
        }
        DataType type = schema.apply(name).dataType();
        if (type instanceof BinaryType) {
            return col(name);
        }
        if (type instanceof StructType struct && hasField(struct, "bytes")
                && struct.apply("bytes").dataType() instanceof BinaryType) {
            return col(name + ".bytes");
        }
        throw new IllegalArgumentException("Parquet corpus " + given + ": data.imageColumn \"" + name + "\" is "
                + type.simpleString() + ", expected binary (or a struct with a binary \"bytes\" field); binary columns are "
                + binaryColumns(schema) + " (set data.imageColumn in the data: section)");
    }

    private static boolean hasField(StructType schema, String name) {
        return Arrays.asList(schema.fieldNames()).contains(name);
    }

    private static List<String> binaryColumns(StructType schema) {
        return Arrays.stream(schema.fields())
                .filter(f -> f.dataType() instanceof BinaryType)
                .map(StructField::name)
                .collect(Collectors.toList());
    }

    /** Rows (id, label, bytes) to decode results, lazily. */
    private record Decoding(Iterator<Row> rows, ImageDecoder decoder) implements Iterator<DecodeResult> {
        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public DecodeResult next() {
            Row row = rows.next();
            String id = row.isNullAt(0) ? "(null id)" : row.getString(0);
            String label = row.isNullAt(1) ? null : row.getString(1);
            if (row.isNullAt(2)) {
                return new ImageReject(id, RejectReason.EMPTY_FILE, "image column is null");
            }
            return decoder.decode(id, label, (byte[]) row.get(2));
        }
    }
}
