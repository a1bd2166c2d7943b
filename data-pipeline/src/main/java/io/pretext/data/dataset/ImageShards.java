package io.pretext.data.dataset;

import io.pretext.data.image.ImageRecord;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The Parquet row of an image shard: the {@link ImageRecord} (pixels as one binary value, CHW, unsigned bytes) and
 * its {@link ContentHash}, which later partitions are deduplicated against without reading the pixels.
 */
public final class ImageShards {

    private static final String SCHEMA = """
            message image_record {
              required binary id (STRING);
              optional binary label (STRING);
              required int32 channels;
              required int32 height;
              required int32 width;
              required binary pixels;
              required binary hash (STRING);
            }""";

    /** The same columns as Spark reads them. */
    public static final StructType SPARK_SCHEMA = new StructType()
            .add("id", DataTypes.StringType, false)
            .add("label", DataTypes.StringType, true)
            .add("channels", DataTypes.IntegerType, false)
            .add("height", DataTypes.IntegerType, false)
            .add("width", DataTypes.IntegerType, false)
            .add("pixels", DataTypes.BinaryType, false)
            .add("hash", DataTypes.StringType, false);

    private static final RowWriter<Hashed<ImageRecord>> ROWS = (h, out) -> {
        ImageRecord r = h.record();
        RowWriter.string(out, "id", 0, r.id());
        RowWriter.string(out, "label", 1, r.label());
        RowWriter.int32(out, "channels", 2, r.channels());
        RowWriter.int32(out, "height", 3, r.height());
        RowWriter.int32(out, "width", 4, r.width());
        RowWriter.bytes(out, "pixels", 5, r.pixels());
        RowWriter.string(out, "hash", 6, h.hash());
    };

    /** The shard format; labels repeat and are dictionary-encoded. */
    public static final ShardFormat<Hashed<ImageRecord>> FORMAT = new ShardFormat<>(SCHEMA, ROWS,
            Map.of("label", true));

    private ImageShards() {
    }

    /** The record of a row read with {@link #SPARK_SCHEMA}. */
    public static ImageRecord read(Row row) {
        return new ImageRecord(row.getString(0), row.isNullAt(1) ? null : row.getString(1), row.getInt(2),
                row.getInt(3), row.getInt(4), (byte[]) row.get(5));
    }
}
