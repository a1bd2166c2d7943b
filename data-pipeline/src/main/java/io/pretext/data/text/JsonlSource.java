package io.pretext.data.text;

import io.pretext.data.files.ListedFile;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON Lines files: one JSON object per line, the document text in {@code data.textField}, optional
 * {@code data.idField} and {@code data.labelField}. Blank lines are skipped. Each file is read by one
 * task (compressed files by extension); a line longer than {@code data.maxDocumentBytes} is skipped
 * unbuffered and rejected as oversize. Without an id field the id is {@code <relative path>#L<line>}.
 */
final class JsonlSource {

    private static final Logger LOG = LoggerFactory.getLogger(JsonlSource.class);

    /** One file to read; a plain class because Kryo 4.x cannot build records. */
    static final class Entry implements Serializable {
        private final String path;
        private final String relative;

        Entry(String path, String relative) {
            this.path = path;
            this.relative = relative;
        }
    }

    private JsonlSource() {
    }

    static JavaRDD<TextOutcome> decode(JavaSparkContext sc, TextFiles files, TextDataConfig config) {
        requireTextField(files, config, sc.hadoopConfiguration());
        List<Entry> entries = new ArrayList<>();
        for (ListedFile f : files.jsonl) {
            entries.add(new Entry(f.path(), f.relative()));
        }
        int partitions = config.partitions() > 0 ? Math.min(config.partitions(), entries.size()) : entries.size();
        LOG.info("text JSONL {}: {} files, text field {}, {} partitions", files.given, entries.size(),
                config.textField(), partitions);
        SerializableConfiguration conf = new SerializableConfiguration(sc.hadoopConfiguration());
        return sc.parallelize(entries, partitions)
                .mapPartitions(it -> new Records(it, new TextDecoder(config), conf.value()));
    }

    /**
     * Reads the first non-blank line of the first file on the driver: when it is a JSON object without the
     * text field, the configuration is wrong, and that is said before any Spark job runs.
     */
    private static void requireTextField(TextFiles files, TextDataConfig config, Configuration conf) {
        ListedFile first = files.jsonl.get(0);
        try (InputStream in = TextFiles.open(new Path(first.path()), conf)) {
            Lines lines = new Lines(in, (int) Math.min(config.maxDocumentBytes(), 1 << 20));
            while (lines.next()) {
                if (lines.oversize || lines.isBlank()) {
                    continue;
                }
                JsonNode node;
                try {
                    node = new ObjectMapper().readTree(lines.line, 0, lines.length);
                } catch (IOException e) {
                    return; // a broken first line is the executors' to count, not a configuration error
                }
                if (node != null && node.isObject() && !node.has(config.textField())) {
                    List<String> fields = new ArrayList<>();
                    node.fieldNames().forEachRemaining(fields::add);
                    throw new IllegalArgumentException("JSONL corpus " + files.given + ": the first record of "
                            + first.relative() + " has no field \"" + config.textField() + "\" (data.textField); "
                            + "its fields are " + fields + " (set data.textField in the data: section)");
                }
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + first.path() + ": " + e.getMessage(), e);
        }
    }

    /** The records of each file in turn, lazily; every failure becomes a reject. */
    private static final class Records implements Iterator<TextOutcome> {
        private final Iterator<Entry> entries;
        private final TextDecoder decoder;
        private final Configuration conf;
        private final ObjectMapper mapper = new ObjectMapper();
        private Entry entry;
        private InputStream in;
        private Lines lines;
        private TextOutcome next;

        Records(Iterator<Entry> entries, TextDecoder decoder, Configuration conf) {
            this.entries = entries;
            this.decoder = decoder;
            this.conf = conf;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                if (lines == null) {
                    if (!entries.hasNext()) {
                        return false;
                    }
                    entry = entries.next();
                    try {
                        in = TextFiles.open(new Path(entry.path), conf);
                        lines = new Lines(in, (int) decoder.config().maxDocumentBytes());
                    } catch (IOException | RuntimeException e) {
                        next = unreadable(entry.relative, e);
                        closeFile();
                        continue;
                    }
                }
                try {
                    if (!lines.next()) {
                        closeFile();
                        continue;
                    }
                } catch (IOException | RuntimeException e) {
                    next = unreadable(entry.relative + "#L" + (lines.number + 1), e);
                    closeFile();
                    continue;
                }
                if (!lines.oversize && lines.isBlank()) {
                    continue;
                }
                next = record(entry.relative + "#L" + lines.number);
            }
            return true;
        }

        @Override
        public TextOutcome next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            TextOutcome out = next;
            next = null;
            return out;
        }

        private TextOutcome record(String lineId) {
            if (lines.oversize) {
                return decoder.oversize(lineId, lines.fullLength);
            }
            TextDecoder.Utf8 utf8 = TextDecoder.Utf8.decode(lines.line, 0, lines.length);
            List<TextIssue> issues = new ArrayList<>(2);
            TextIssue utf8Issue = decoder.utf8Issue(lineId, utf8, lines.length);
            if (utf8Issue != null) {
                if (utf8Issue.reason().rejects()) {
                    return TextOutcome.rejected(utf8Issue);
                }
                issues.add(utf8Issue);
            }
            JsonNode node;
            try {
                node = mapper.readTree(utf8.text());
            } catch (JsonProcessingException e) {
                return malformed(lineId, "not JSON: " + e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                return malformed(lineId, "not a JSON object");
            }
            TextDataConfig config = decoder.config();
            JsonNode idNode = node.get(config.idField());
            String id = idNode != null && idNode.isValueNode() && !idNode.isNull() ? idNode.asText() : lineId;
            JsonNode labelNode = node.get(config.labelField());
            String label = labelNode != null && labelNode.isValueNode() && !labelNode.isNull() ? labelNode.asText() : null;
            JsonNode text = node.get(config.textField());
            if (text == null) {
                return malformed(id, "no field \"" + config.textField() + "\"");
            }
            if (text.isNull()) {
                return TextOutcome.rejected(new TextIssue(id, TextIssueReason.EMPTY, "field \"" + config.textField()
                        + "\" is null"));
            }
            if (!text.isTextual()) {
                return malformed(id, "field \"" + config.textField() + "\" is " + text.getNodeType().name()
                        .toLowerCase(Locale.ROOT) + ", expected a string");
            }
            List<TextIssue> renamed = new ArrayList<>(issues.size());
            for (TextIssue issue : issues) {
                renamed.add(new TextIssue(id, issue.reason(), issue.detail()));
            }
            return decoder.decodeText(id, label, text.textValue(), renamed);
        }

        private static TextOutcome malformed(String id, String detail) {
            return TextOutcome.rejected(new TextIssue(id, TextIssueReason.MALFORMED_RECORD, detail));
        }

        private static TextOutcome unreadable(String id, Exception e) {
            return TextOutcome.rejected(new TextIssue(id, TextIssueReason.UNREADABLE,
                    e.getClass().getSimpleName() + ": " + e.getMessage()));
        }

        private void closeFile() {
            try {
                if (in != null) {
                    in.close();
                }
            } catch (IOException e) {
                LOG.warn("closing {}: {}", entry.path, e.toString());
            }
            in = null;
            lines = null;
        }
    }

    /**
     * Lines of a byte stream, LF-terminated (a CR before the LF is dropped), holding at most {@code limit}
     * bytes of one line in memory: a longer line is consumed to its end and flagged {@link #oversize}.
     */
    static final class Lines {
        private final InputStream in;
        private final int limit;
        private final byte[] chunk = new byte[64 * 1024];
        private int chunkPos;
        private int chunkLen;
        byte[] line = new byte[1024];
        /** Bytes in {@link #line}. */
        int length;
        /** Bytes of the whole line, also when it is oversize. */
        long fullLength;
        boolean oversize;
        /** 1-based number of the current line. */
        long number;

        Lines(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        /** Advances to the next line; false at the end of the stream. */
        boolean next() throws IOException {
            length = 0;
            fullLength = 0;
            oversize = false;
            boolean any = false;
            while (true) {
                if (chunkPos == chunkLen) {
                    chunkLen = in.read(chunk);
                    chunkPos = 0;
                    if (chunkLen <= 0) {
                        chunkLen = 0;
                        if (!any) {
                            return false;
                        }
                        break;
                    }
                }
                any = true;
                int start = chunkPos;
                while (chunkPos < chunkLen && chunk[chunkPos] != '\n') {
                    chunkPos++;
                }
                append(start, chunkPos);
                if (chunkPos < chunkLen) {
                    chunkPos++; // the LF
                    break;
                }
            }
            number++;
            if (!oversize && length > 0 && line[length - 1] == '\r') {
                length--;
            }
            return true;
        }

        private void append(int from, int to) {
            int n = to - from;
            fullLength += n;
            if (fullLength > limit) {
                oversize = true;
                return;
            }
            if (length + n > line.length) {
                line = Arrays.copyOf(line, Math.min(Math.max(length + n, line.length * 2), limit));
            }
            System.arraycopy(chunk, from, line, length, n);
            length += n;
        }

        boolean isBlank() {
            for (int i = 0; i < length; i++) {
                byte b = line[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }
    }
}
