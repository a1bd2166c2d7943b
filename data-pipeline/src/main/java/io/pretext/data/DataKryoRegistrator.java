package io.pretext.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageReject;
import io.pretext.data.image.RejectReason;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Kryo serializers for the data records. Spark's Kryo (4.x) cannot instantiate Java records, so a
 * job that sets {@code spark.serializer=org.apache.spark.serializer.KryoSerializer} must also list
 * this class in {@code spark.kryo.registrator} (comma-separated with any other registrator).
 * The encoding is compact: strings, three varints and the raw pixel bytes.
 */
public final class DataKryoRegistrator implements KryoRegistrator {

    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(ImageRecord.class, new ImageRecordSerializer());
        kryo.register(ImageReject.class, new ImageRejectSerializer());
    }

    static final class ImageRecordSerializer extends Serializer<ImageRecord> {
        @Override
        public void write(Kryo kryo, Output out, ImageRecord r) {
            out.writeString(r.id());
            out.writeString(r.label());
            out.writeVarInt(r.channels(), true);
            out.writeVarInt(r.height(), true);
            out.writeVarInt(r.width(), true);
            out.writeBytes(r.pixels()); // length is channels * height * width
        }

        @Override
        public ImageRecord read(Kryo kryo, Input in, Class<ImageRecord> type) {
            String id = in.readString();
            String label = in.readString();
            int channels = in.readVarInt(true);
            int height = in.readVarInt(true);
            int width = in.readVarInt(true);
            return new ImageRecord(id, label, channels, height, width, in.readBytes(channels * height * width));
        }
    }

    static final class ImageRejectSerializer extends Serializer<ImageReject> {
        private static final RejectReason[] REASONS = RejectReason.values();

        @Override
        public void write(Kryo kryo, Output out, ImageReject r) {
            out.writeString(r.id());
            out.writeVarInt(r.reason().ordinal(), true);
            out.writeString(r.detail());
        }

        @Override
        public ImageReject read(Kryo kryo, Input in, Class<ImageReject> type) {
            return new ImageReject(in.readString(), REASONS[in.readVarInt(true)], in.readString());
        }
    }
}
