package io.pretext.data.dataset;

import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes one shard file in an executor: Parquet rows to a temporary file under {@code _tmp/}, hashed (SHA-256) on
 * the way out, then renamed to its final name. A shard name is decided by its content (partition key, index,
 * count), so a retried task that finds the name taken replaces the file with an identical one.
 *
 * <p>Memory: one row group ({@code shards.rowGroupBytes}) is buffered before it is flushed. The file is opened on
 * the first row, so a shard that receives none leaves no file.
 *
 * @param <T> the row type
 */
public final class ShardWriter<T> implements AutoCloseable {

    private final DatasetLayout layout;
    private final String name;
    private final ShardFormat<T> format;
    private final ShardConfig config;
    private final Configuration conf;
    private FileSystem fs;
    private Path tmp;
    private DigestingFile file;
    private ParquetWriter<T> writer;
    private long records;

    /** @param name the final path relative to the dataset root, e.g. from {@link DatasetLayout#shardName} */
    public ShardWriter(DatasetLayout layout, String name, ShardFormat<T> format, ShardConfig config,
                       Configuration conf) {
        this.layout = layout;
        this.name = name;
        this.format = format;
        this.config = config;
        this.conf = conf;
    }

    public void write(T record) throws IOException {
        if (writer == null) {
            open();
        }
        writer.write(record);
        records++;
    }

    public long records() {
        return records;
    }

    private void open() throws IOException {
        fs = layout.fileSystem(conf);
        tmp = layout.temporary(name);
        file = new DigestingFile(fs, tmp);
        Builder<T> builder = new Builder<>(file, format.schema(), format.rows())
                .withConf(conf)
                .withCompressionCodec(CompressionCodecName.valueOf(config.compression().toUpperCase(Locale.ROOT)))
                .withRowGroupSize(config.rowGroupBytes())
                .withDictionaryEncoding(false);
        format.dictionaryColumns().forEach(builder::withDictionaryEncoding);
        writer = builder.build();
    }

    /**
     * Closes the file and moves it to its final name.
     *
     * @return the receipt, with no file (null path) when no row was written
     */
    public ShardReceipt commit() throws IOException {
        if (writer == null) {
            return new ShardReceipt(null, 0, 0, null, 0, 0, 0);
        }
        writer.close();
        writer = null;
        long bytes = file.bytes;
        String sha256 = Hashing.hex(file.digest.digest());
        // a file already there came from an earlier attempt with the same name, hence the same content: replaced
        DatasetLayout.moveIntoPlace(fs, tmp, layout.path(name));
        tmp = null;
        return new ShardReceipt(name, records, bytes, sha256, 0, 0, 0);
    }

    /** Drops an uncommitted file. */
    @Override
    public void close() {
        if (writer != null) {
            try {
                writer.close();
            } catch (IOException | RuntimeException ignored) {
                // the temporary file is deleted below either way
            }
            writer = null;
        }
        if (tmp != null) {
            DatasetLayout.deleteQuietly(fs, tmp);
            tmp = null;
        }
    }

    private static final class Builder<T> extends ParquetWriter.Builder<T, Builder<T>> {
        private final MessageType schema;
        private final RowWriter<T> rows;

        Builder(OutputFile file, MessageType schema, RowWriter<T> rows) {
            super(file);
            this.schema = schema;
            this.rows = rows;
        }

        @Override
        protected Builder<T> self() {
            return this;
        }

        @Override
        protected WriteSupport<T> getWriteSupport(Configuration conf) {
            return new RowWriteSupport<>(schema, rows);
        }
    }

    private static final class RowWriteSupport<T> extends WriteSupport<T> {
        private final MessageType schema;
        private final RowWriter<T> rows;
        private RecordConsumer out;

        RowWriteSupport(MessageType schema, RowWriter<T> rows) {
            this.schema = schema;
            this.rows = rows;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(T record) {
            out.startMessage();
            rows.write(record, out);
            out.endMessage();
        }
    }

    /** A Parquet output file on a Hadoop file system whose bytes are counted and hashed as they are written. */
    private static final class DigestingFile implements OutputFile {
        private final FileSystem fs;
        private final Path path;
        final MessageDigest digest = Hashing.sha256();
        long bytes;

        DigestingFile(FileSystem fs, Path path) {
            this.fs = fs;
            this.path = path;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) throws IOException {
            return stream(fs.create(path, false));
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
            return stream(fs.create(path, true));
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }

        @Override
        public String getPath() {
            return path.toString();
        }

        private PositionOutputStream stream(OutputStream out) {
            return new PositionOutputStream() {
                @Override
                public long getPos() {
                    return bytes;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    digest.update((byte) b);
                    bytes++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    digest.update(b, off, len);
                    bytes += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.close();
                }
            };
        }
    }
}
