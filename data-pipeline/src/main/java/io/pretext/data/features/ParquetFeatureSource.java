package io.pretext.data.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parquet file(s) with numeric feature columns (integer, floating-point or decimal types, read as
 * double). Optional id and label columns; without an id column the id is {@code <file name>#<row index
 * in file>}. A null is a missing value.
 */
final class ParquetFeatureSource {

    private static final Logger LOG = LoggerFactory.getLogger(ParquetFeatureSource.class);

    private ParquetFeatureSource() {
    }

    /** The Parquet data and its resolved feature columns; reading the schema runs no Spark job. */
    record Table(Dataset<Row> frame, List<String> columns, boolean hasId, boolean hasLabel) {
    }

    static Table table(SparkSession spark, FeatureFiles files, FeatureDataConfig config) {
        Dataset<Row> df = spark.read().parquet(files.root.toString());
        StructType schema = df.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        List<String> numeric = new ArrayList<>();
        for (StructField f : schema.fields()) {
            if (f.dataType() instanceof NumericType) {
                numeric.add(f.name());
            }
        }
        List<String> columns;
        if (config.columns().isEmpty()) {
            columns = CsvFeatureSource.resolveColumns(numeric, config, "Parquet corpus " + files.given
                    + " (numeric columns)");
        } else {
            columns = CsvFeatureSource.resolveColumns(names, config, "Parquet corpus " + files.given);
            for (String c : columns) {
                if (!numeric.contains(c)) {
                    throw new IllegalArgumentException("data.columns lists \"" + c + "\", which is "
                            + schema.apply(c).dataType().simpleString() + " in Parquet corpus " + files.given
                            + ", not a number (numeric columns: " + numeric
                            + "; set data.columns in the data: section)");
                }
            }
        }
        return new Table(df, columns, names.contains(config.idColumn()), names.contains(config.labelColumn()));
    }

    static JavaRDD<FeatureOutcome> read(FeatureFiles files, Table table, FeatureDataConfig config) {
        List<Column> select = new ArrayList<>();
        select.add(table.hasId() ? col(config.idColumn()).cast(DataTypes.StringType)
                : concat(col("_metadata.file_name"), lit("#"), col("_metadata.row_index").cast(DataTypes.StringType)));
        select.add(table.hasLabel() ? col(config.labelColumn()).cast(DataTypes.StringType)
                : lit(null).cast(DataTypes.StringType));
        for (String c : table.columns()) {
            select.add(col(c).cast(DataTypes.DoubleType));
        }
        Dataset<Row> rows = table.frame().select(select.toArray(Column[]::new));
        FeatureRows parser = new FeatureRows(table.columns(), config.imputesMissing());
        LOG.info("feature Parquet {}: {} files, {} feature columns, id column {}, label column {}", files.given,
                files.parquet.size(), table.columns().size(), table.hasId() ? config.idColumn() : "(none: file#row)",
                table.hasLabel() ? config.labelColumn() : "(none)");
        return rows.javaRDD().mapPartitions(it -> new Parsing(it, parser));
    }

    /** Rows (id, label, values...) to outcomes, lazily. */
    private record Parsing(Iterator<Row> rows, FeatureRows parser) implements Iterator<FeatureOutcome> {
        @Override
        public boolean hasNext() {
            return rows.hasNext();
        }

        @Override
        public FeatureOutcome next() {
            Row row = rows.next();
            String id = row.isNullAt(0) ? "(null id)" : row.getString(0);
            String label = row.isNullAt(1) ? null : row.getString(1);
            Double[] values = new Double[row.length() - 2];
            for (int c = 0; c < values.length; c++) {
                values[c] = row.isNullAt(c + 2) ? null : row.getDouble(c + 2);
            }
            return parser.fromNumbers(id, label, values);
        }
    }
}
