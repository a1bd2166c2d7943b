package io.pretext.data.features;

import io.pretext.data.files.ListedFile;
import java.io.Serializable;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.InputSplit;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * CSV files with a header row, read line by line in the executors (Hadoop's text input format, so large
 * files are split and {@code .gz} files are decompressed). The header is read and checked on the driver:
 * every non-empty file must start with the same header. In each file, the line at byte offset 0 is the
 * header and blank lines are not rows. Without an id column (or where it is empty) a row's id is
 * {@code <file name>@<byte offset of its line>}, stable across reruns and partitionings.
 */
final class CsvFeatureSource {

    private static final Logger LOG = LoggerFactory.getLogger(CsvFeatureSource.class);

    private CsvFeatureSource() {
    }

    /**
     * Where the id, label and feature columns sit in the header.
     *
     * @param headerSize     fields per line
     * @param featureIndexes header position of each feature column, in {@code columns} order
     * @param idIndex        header position of the id column, or -1
     * @param labelIndex     header position of the label column, or -1
     * @param columns        the feature columns
     */
    record Layout(int headerSize, int[] featureIndexes, int idIndex, int labelIndex, List<String> columns)
            implements Serializable {
    }

    /** Reads every file's header on the driver and resolves the columns. */
    static Layout layout(FeatureFiles files, FeatureDataConfig config) {
        List<String> header = null;
        String headerFile = null;
        for (ListedFile file : files.csv) {
            String line = files.firstLine(file);
            if (line == null) {
                LOG.warn("feature CSV {} is empty: no header, no rows", file.path());
                continue;
            }
            List<String> fields = CsvLine.split(line, config.delimiterChar());
            if (fields == null) {
                throw new IllegalArgumentException("the header row of " + file.path()
                        + " is not valid CSV (an unclosed or misplaced quote): " + line);
            }
            if (header == null) {
                header = fields;
                headerFile = file.relative();
            } else if (!header.equals(fields)) {
                throw new IllegalArgumentException("the CSV files under " + files.given + " have different headers: "
                        + headerFile + " has " + header + ", " + file.relative() + " has " + fields
                        + " (every file needs the same header row)");
            }
        }
        if (header == null) {
            throw new IllegalArgumentException("no header row in the CSV files under " + files.given
                        + ": every file is empty (" + FeatureFiles.EXPECTED + ")");
        }
        Set<String> seen = new HashSet<>();
        for (String name : header) {
            if (name.isBlank() || !seen.add(name)) {
                throw new IllegalArgumentException("the header of " + headerFile + " has a " + (name.isBlank()
                        ? "blank" : "repeated") + " column name: " + header + " (every column needs its own name)");
            }
        }
        List<String> columns = resolveColumns(header, config, "the CSV header of " + headerFile);
        int[] indexes = columns.stream().mapToInt(header::indexOf).toArray();
        return new Layout(header.size(), indexes, header.indexOf(config.idColumn()),
                header.indexOf(config.labelColumn()), columns);
    }

    /** The configured columns, checked against {@code available}; all but id and label when none are configured. */
    static List<String> resolveColumns(List<String> available, FeatureDataConfig config, String where) {
        if (config.columns().isEmpty()) {
            List<String> all = available.stream()
                    .filter(c -> !c.equals(config.idColumn()) && !c.equals(config.labelColumn()))
                    .collect(Collectors.toList());
            if (all.isEmpty()) {
                throw new IllegalArgumentException(where + " has no feature column besides the id and label columns: "
                        + available);
            }
            return all;
        }
        List<String> unknown = config.columns().stream().filter(c -> !available.contains(c)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("data.columns lists " + unknown + ", which " + where + " does not have "
                    + "(its columns: " + available + "; set data.columns in the data: section)");
        }
        return config.columns();
    }

    static JavaRDD<FeatureOutcome> read(JavaSparkContext sc, FeatureFiles files, Layout layout,
            FeatureDataConfig config) {
        Configuration conf = new Configuration(sc.hadoopConfiguration());
        String paths = files.csv.stream().map(ListedFile::path).collect(Collectors.joining(","));
        JavaNewHadoopRDD<LongWritable, Text> lines = (JavaNewHadoopRDD<LongWritable, Text>) sc.newAPIHadoopFile(paths,
                TextInputFormat.class, LongWritable.class, Text.class, conf);
        FeatureRows rows = new FeatureRows(layout.columns(), config.imputesMissing());
        char delimiter = config.delimiterChar();
        LOG.info("feature CSV {}: {} files, {} feature columns, id column {}, label column {}", files.given,
                files.csv.size(), layout.columns().size(),
                layout.idIndex() >= 0 ? config.idColumn() : "(none: file@offset)",
                layout.labelIndex() >= 0 ? config.labelColumn() : "(none)");
        return lines.mapPartitionsWithInputSplit(
                (split, it) -> new Parsing(fileName(split), it, layout, rows, delimiter), true);
    }

    private static String fileName(InputSplit split) {
        return ((FileSplit) split).getPath().getName();
    }

    /** Lines of one split to outcomes, lazily, skipping the header line and blank lines. */
    private static final class Parsing implements Iterator<FeatureOutcome> {
        private final String file;
        private final Iterator<Tuple2<LongWritable, Text>> lines;
        private final Layout layout;
        private final FeatureRows rows;
        private final char delimiter;
        private FeatureOutcome next;

        Parsing(String file, Iterator<Tuple2<LongWritable, Text>> lines, Layout layout, FeatureRows rows,
                char delimiter) {
            this.file = file;
            this.lines = lines;
            this.layout = layout;
            this.rows = rows;
            this.delimiter = delimiter;
        }

        @Override
        public boolean hasNext() {
            while (next == null && lines.hasNext()) {
                Tuple2<LongWritable, Text> line = lines.next();
                long offset = line._1().get();
                String text = line._2().toString();           // the reader reuses its Text: copy now
                if (offset == 0 || text.isBlank()) {
                    continue;
                }
                next = parse(file + "@" + offset, text);
            }
            return next != null;
        }

        @Override
        public FeatureOutcome next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            FeatureOutcome out = next;
            next = null;
            return out;
        }

        private FeatureOutcome parse(String positionalId, String text) {
            List<String> fields = CsvLine.split(text, delimiter);
            if (fields == null) {
                return rows.malformed(positionalId, "unclosed or misplaced quote");
            }
            if (fields.size() != layout.headerSize()) {
                return rows.malformed(positionalId, fields.size() + " fields, the header has " + layout.headerSize());
            }
            String id = layout.idIndex() >= 0 && !fields.get(layout.idIndex()).isEmpty()
                    ? fields.get(layout.idIndex()) : positionalId;
            String label = layout.labelIndex() >= 0 && !fields.get(layout.labelIndex()).isEmpty()
                    ? fields.get(layout.labelIndex()) : null;
            String[] values = new String[layout.featureIndexes().length];
            for (int c = 0; c < values.length; c++) {
                values[c] = fields.get(layout.featureIndexes()[c]);
            }
            return rows.fromText(id, label, values);
        }
    }
}
