package io.pretext.data.dataset;

import java.io.Serializable;
import java.util.Map;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * The Parquet layout of one kind of shard row: schema, how a record fills a row, and which columns are
 * dictionary-encoded. Serializable, so that shard-writing tasks can carry it (Parquet's schema object is not: the
 * schema travels as text).
 *
 * @param <T> the record type
 */
public final class ShardFormat<T> implements Serializable {

    private final String schema;
    private final RowWriter<T> rows;
    private final Map<String, Boolean> dictionaryColumns;
    private transient MessageType parsed;

    /**
     * @param schema            a Parquet message type in Parquet's schema syntax
     * @param rows              writes a record's fields, in schema order
     * @param dictionaryColumns columns to dictionary-encode (low-cardinality ones such as labels); others are not
     */
    public ShardFormat(String schema, RowWriter<T> rows, Map<String, Boolean> dictionaryColumns) {
        this.schema = schema;
        this.rows = rows;
        this.dictionaryColumns = Map.copyOf(dictionaryColumns);
        this.parsed = MessageTypeParser.parseMessageType(schema);
    }

    public MessageType schema() {
        if (parsed == null) {
            parsed = MessageTypeParser.parseMessageType(schema);
        }
        return parsed;
    }

    public RowWriter<T> rows() {
        return rows;
    }

    public Map<String, Boolean> dictionaryColumns() {
        return dictionaryColumns;
    }
}
