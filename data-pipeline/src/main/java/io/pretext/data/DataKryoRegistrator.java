package io.pretext.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import io.pretext.data.features.FeatureIssue;
import io.pretext.data.features.FeatureIssueReason;
import io.pretext.data.features.FeatureOutcome;
import io.pretext.data.features.FeatureRecord;
import io.pretext.data.image.ImageRecord;
import io.pretext.data.image.ImageReject;
import io.pretext.data.image.RejectReason;
import io.pretext.data.text.EncodedDocument;
import io.pretext.data.text.PackedSequence;
import io.pretext.data.text.TextDocument;
import io.pretext.data.text.TextIssue;
import io.pretext.data.text.TextIssueReason;
import io.pretext.data.text.TextOutcome;
import io.pretext.data.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Kryo serializers for the data records. Spark's Kryo (4.x) cannot instantiate Java records, so a
 * job that sets {@code spark.serializer=org.apache.spark.serializer.KryoSerializer} must also list
 * this class in {@code spark.kryo.registrator} (comma-separated with any other registrator).
 * The encoding is compact: strings, varints and raw bytes; a {@link Vocabulary} travels as its tokens.
 */
public final class DataKryoRegistrator implements KryoRegistrator {

    /**
     * Refuses a Kryo-serializing session that does not list this registrator: Kryo 4.x cannot build Java records,
     * so the records' serializers must be registered before {@code what} can be cached and shuffled.
     */
    public static void requireRegistered(SparkConf conf, String what) {
        String serializer = conf.get("spark.serializer", "");
        String registrators = conf.get("spark.kryo.registrator", "");
        String name = DataKryoRegistrator.class.getName();
        if (serializer.contains("Kryo") && !Arrays.asList(registrators.split("\\s*,\\s*")).contains(name)) {
            throw new IllegalArgumentException("spark.serializer is " + serializer + " but spark.kryo.registrator (\""
                    + registrators + "\") does not list " + name + ": add it (comma-separated) so that " + what
                    + " can be cached and shuffled");
        }
    }


    @Override
    public void registerClasses(Kryo kryo) {
        kryo.register(ImageRecord.class, new ImageRecordSerializer());
        kryo.register(ImageReject.class, new ImageRejectSerializer());
        kryo.register(TextDocument.class, new TextDocumentSerializer());
        kryo.register(TextIssue.class, new TextIssueSerializer());
        kryo.register(TextOutcome.class, new TextOutcomeSerializer());
        kryo.register(Vocabulary.class, new VocabularySerializer());
        kryo.register(PackedSequence.class, new PackedSequenceSerializer());
        kryo.register(EncodedDocument.class, new EncodedDocumentSerializer());
        kryo.register(FeatureRecord.class, new FeatureRecordSerializer());
        kryo.register(FeatureIssue.class, new FeatureIssueSerializer());
        kryo.register(FeatureOutcome.class, new FeatureOutcomeSerializer());
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

    static final class TextDocumentSerializer extends Serializer<TextDocument> {
        @Override
        public void write(Kryo kryo, Output out, TextDocument d) {
            out.writeString(d.id());
            out.writeString(d.label());
            writeStrings(out, d.sentences());
        }

        @Override
        public TextDocument read(Kryo kryo, Input in, Class<TextDocument> type) {
            return new TextDocument(in.readString(), in.readString(), readStrings(in));
        }
    }

    static final class PackedSequenceSerializer extends Serializer<PackedSequence> {
        @Override
        public void write(Kryo kryo, Output out, PackedSequence p) {
            out.writeString(p.id());
            writeIds(out, p.tokenIds());
            out.writeVarInt(p.firstSegmentLength(), true);
            out.writeBoolean(p.randomNext());
            out.writeString(p.nextDocumentId());
        }

        @Override
        public PackedSequence read(Kryo kryo, Input in, Class<PackedSequence> type) {
            return new PackedSequence(in.readString(), readIds(in), in.readVarInt(true), in.readBoolean(),
                    in.readString());
        }
    }

    static final class EncodedDocumentSerializer extends Serializer<EncodedDocument> {
        @Override
        public void write(Kryo kryo, Output out, EncodedDocument d) {
            out.writeString(d.id());
            out.writeString(d.label());
            writeIds(out, d.tokenIds());
        }

        @Override
        public EncodedDocument read(Kryo kryo, Input in, Class<EncodedDocument> type) {
            return new EncodedDocument(in.readString(), in.readString(), readIds(in));
        }
    }

    /** Token ids as a length and varints (ids are below 2^21 in any real vocabulary: 1-3 bytes each). */
    private static void writeIds(Output out, int[] ids) {
        out.writeVarInt(ids.length, true);
        for (int id : ids) {
            out.writeVarInt(id, true);
        }
    }

    private static int[] readIds(Input in) {
        int[] ids = new int[in.readVarInt(true)];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.readVarInt(true);
        }
        return ids;
    }

    static final class TextIssueSerializer extends Serializer<TextIssue> {
        private static final TextIssueReason[] REASONS = TextIssueReason.values();

        @Override
        public void write(Kryo kryo, Output out, TextIssue issue) {
            out.writeString(issue.id());
            out.writeVarInt(issue.reason().ordinal(), true);
            out.writeString(issue.detail());
        }

        @Override
        public TextIssue read(Kryo kryo, Input in, Class<TextIssue> type) {
            return new TextIssue(in.readString(), REASONS[in.readVarInt(true)], in.readString());
        }
    }

    static final class TextOutcomeSerializer extends Serializer<TextOutcome> {
        private final TextDocumentSerializer documents = new TextDocumentSerializer();
        private final TextIssueSerializer issues = new TextIssueSerializer();

        @Override
        public void write(Kryo kryo, Output out, TextOutcome o) {
            out.writeString(o.id());
            out.writeBoolean(o.document() != null);
            if (o.document() != null) {
                documents.write(kryo, out, o.document());
            }
            out.writeVarInt(o.issues().size(), true);
            for (TextIssue issue : o.issues()) {
                issues.write(kryo, out, issue);
            }
        }

        @Override
        public TextOutcome read(Kryo kryo, Input in, Class<TextOutcome> type) {
            String id = in.readString();
            TextDocument document = in.readBoolean() ? documents.read(kryo, in, TextDocument.class) : null;
            int n = in.readVarInt(true);
            List<TextIssue> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(issues.read(kryo, in, TextIssue.class));
            }
            return TextOutcome.of(id, document, list);
        }
    }

    static final class VocabularySerializer extends Serializer<Vocabulary> {
        @Override
        public void write(Kryo kryo, Output out, Vocabulary v) {
            writeStrings(out, v.tokens());
        }

        @Override
        public Vocabulary read(Kryo kryo, Input in, Class<Vocabulary> type) {
            return Vocabulary.of(readStrings(in));
        }
    }

    static final class FeatureRecordSerializer extends Serializer<FeatureRecord> {
        @Override
        public void write(Kryo kryo, Output out, FeatureRecord r) {
            out.writeString(r.id());
            out.writeString(r.label());
            out.writeVarInt(r.values().length, true);
            out.writeFloats(r.values());
        }

        @Override
        public FeatureRecord read(Kryo kryo, Input in, Class<FeatureRecord> type) {
            String id = in.readString();
            String label = in.readString();
            return new FeatureRecord(id, label, in.readFloats(in.readVarInt(true)));
        }
    }

    static final class FeatureIssueSerializer extends Serializer<FeatureIssue> {
        private static final FeatureIssueReason[] REASONS = FeatureIssueReason.values();

        @Override
        public void write(Kryo kryo, Output out, FeatureIssue issue) {
            out.writeString(issue.id());
            out.writeVarInt(issue.reason().ordinal(), true);
            out.writeString(issue.detail());
        }

        @Override
        public FeatureIssue read(Kryo kryo, Input in, Class<FeatureIssue> type) {
            return new FeatureIssue(in.readString(), REASONS[in.readVarInt(true)], in.readString());
        }
    }

    static final class FeatureOutcomeSerializer extends Serializer<FeatureOutcome> {
        private final FeatureRecordSerializer records = new FeatureRecordSerializer();
        private final FeatureIssueSerializer issues = new FeatureIssueSerializer();

        @Override
        public void write(Kryo kryo, Output out, FeatureOutcome o) {
            out.writeString(o.id());
            out.writeBoolean(o.record() != null);
            if (o.record() != null) {
                records.write(kryo, out, o.record());
            }
            out.writeVarInt(o.issues().size(), true);
            for (FeatureIssue issue : o.issues()) {
                issues.write(kryo, out, issue);
            }
        }

        @Override
        public FeatureOutcome read(Kryo kryo, Input in, Class<FeatureOutcome> type) {
            String id = in.readString();
            FeatureRecord record = in.readBoolean() ? records.read(kryo, in, FeatureRecord.class) : null;
            int n = in.readVarInt(true);
            List<FeatureIssue> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                list.add(issues.read(kryo, in, FeatureIssue.class));
            }
            return FeatureOutcome.of(id, record, list);
        }
    }

    private static void writeStrings(Output out, List<String> strings) {
        out.writeVarInt(strings.size(), true);
        for (String s : strings) {
            out.writeString(s);
        }
    }

    private static List<String> readStrings(Input in) {
        int n = in.readVarInt(true);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readString());
        }
        return out;
    }
}
