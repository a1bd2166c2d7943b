package io.pretext.data.dataset;

import java.io.Serializable;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;

/**
 * Writes the fields of one record as one Parquet row, between the writer's {@code startMessage} and
 * {@code endMessage}. Field indices are the column positions of the shard schema.
 *
 * @param <T> the record type
 */
@FunctionalInterface
public interface RowWriter<T> extends Serializable {

    void write(T record, RecordConsumer out);

    static void string(RecordConsumer out, String field, int index, String value) {
        if (value != null) {
            out.startField(field, index);
            out.addBinary(Binary.fromString(value));
            out.endField(field, index);
        }
    }

    static void bytes(RecordConsumer out, String field, int index, byte[] value) {
        out.startField(field, index);
        out.addBinary(Binary.fromConstantByteArray(value));
        out.endField(field, index);
    }

    static void int32(RecordConsumer out, String field, int index, int value) {
        out.startField(field, index);
        out.addInteger(value);
        out.endField(field, index);
    }

    static void bool(RecordConsumer out, String field, int index, boolean value) {
        out.startField(field, index);
        out.addBoolean(value);
        out.endField(field, index);
    }
}
