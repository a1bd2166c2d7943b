package io.pretext.data.dataset;

import io.pretext.data.text.PackedSequence;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet row of a text shard: one {@link PackedSequence}, its token ids packed little-endian into one binary
 * value, two bytes each when the vocabulary has at most 65,536 entries ({@code uint16le}), else four
 * ({@code int32le}). One binary value per sequence reads back without boxing a value per token.
 */
public final class SequenceShards {

    public static final String UINT16 = "uint16le";
    public static final String INT32 = "int32le";

    private static final String SCHEMA = """
            message packed_sequence {
              required binary id (STRING);
              required binary tokens;
              required int32 firstSegmentLength;
              required boolean randomNext;
              required binary nextDocumentId (STRING);
            }""";

    public static final StructType SPARK_SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("tokens", DataTypes.BinaryType, false)
            .add("firstSegmentLength", DataTypes.IntegerType, false)
            .add("randomNext", DataTypes.BooleanType, false)
            .add("nextDocumentId", DataTypes.StringType, false);

    private SequenceShards() {
    }

    /** The token encoding for a vocabulary of {@code size} entries. */
    public static String encodingFor(int vocabularySize) {
        return vocabularySize <= 65_536 ? UINT16 : INT32;
    }

    /** The shard format with token ids in {@code encoding}. */
    public static ShardFormat<PackedSequence> format(String encoding) {
        boolean narrow = UINT16.equals(encoding);
        RowWriter<PackedSequence> rows = (s, out) -> {
            RowWriter.string(out, "id", 0, s.id());
            RowWriter.bytes(out, "tokens", 1, pack(s.tokenIds(), narrow));
            RowWriter.int32(out, "firstSegmentLength", 2, s.firstSegmentLength());
            RowWriter.bool(out, "randomNext", 3, s.randomNext());
            RowWriter.string(out, "nextDocumentId", 4, s.nextDocumentId());
        };
        return new ShardFormat<>(SCHEMA, rows, Map.of());
    }

    /** The sequence of a row read with {@link #SPARK_SCHEMA}. */
    public static PackedSequence read(Row row, String encoding) {
        return new PackedSequence(row.getString(0), unpack((byte[]) row.get(1), UINT16.equals(encoding)),
                row.getInt(2), row.getBoolean(3), row.getString(4));
    }

    static byte[] pack(int[] ids, boolean narrow) {
        int width = narrow ? 2 : 4;
        byte[] out = new byte[ids.length * width];
        for (int i = 0, o = 0; i < ids.length; i++, o += width) {
            int v = ids[i];
            out[o] = (byte) v;
            out[o + 1] = (byte) (v >>> 8);
            if (!narrow) {
                out[o + 2] = (byte) (v >>> 16);
                out[o + 3] = (byte) (v >>> 24);
            }
        }
        return out;
    }

    static int[] unpack(byte[] bytes, boolean narrow) {
        int width = narrow ? 2 : 4;
        if (bytes.length % width != 0) {
            throw new IllegalStateException("a tokens value of " + bytes.length + " bytes is not a whole number of "
                    + width + "-byte ids");
        }
        int[] ids = new int[bytes.length / width];
        for (int i = 0, o = 0; i < ids.length; i++, o += width) {
            int v = (bytes[o] & 0xFF) | (bytes[o + 1] & 0xFF) << 8;
            if (!narrow) {
                v |= (bytes[o + 2] & 0xFF) << 16 | (bytes[o + 3] & 0xFF) << 24;
            }
            ids[i] = v;
        }
        return ids;
    }
}
