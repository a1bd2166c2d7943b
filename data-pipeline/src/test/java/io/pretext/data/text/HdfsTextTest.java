package io.pretext.data.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pretext.data.image.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Text corpora and vocabularies on a real (in-process) HDFS, through hdfs:// URIs. */
class HdfsTextTest {

    @TempDir
    static Path hdfsDir;

    private static MiniDFSCluster cluster;
    private static SparkTestSession session;
    private static String uri;

    @BeforeAll
    static void start() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, hdfsDir.toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        uri = cluster.getFileSystem().getUri().toString();
        session = new SparkTestSession();
    }

    @AfterAll
    static void stop() {
        session.close();
        cluster.shutdown();
    }

    private static void put(String path, byte[] bytes) throws IOException {
        FileSystem fs = cluster.getFileSystem();
        try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(path))) {
            out.write(bytes);
        }
    }

    @Test
    void vocabularyLoadsFromHdfsWithTheSameHash() throws IOException {
        put("/vocab/vocab.txt", Files.readAllBytes(TestText.bertVocabFile()));
        Vocabulary v = Vocabulary.load(uri + "/vocab/vocab.txt", cluster.getFileSystem().getConf());
        assertEquals(TestText.bertVocab().sha256(), v.sha256());
    }

    @Test
    void labelledFolderAndGzippedJsonlAreReadFromHdfs() throws IOException {
        put("/mail/ham/a.txt", "Meeting at noon. Bring the notes.".getBytes(StandardCharsets.UTF_8));
        put("/mail/spam/b.txt", "WIN NOW!!! Click here.".getBytes(StandardCharsets.UTF_8));
        put("/mail/spam/c.txt", new byte[0]);
        TextCorpus folder = TextCorpus.open(session.spark(), uri + "/mail", TextDataConfig.defaults());
        assertEquals(List.of("ham", "spam"), folder.labels());
        assertEquals(Map.of(TextIssueReason.EMPTY, 1L), folder.rejects().counts());
        assertEquals(List.of("ham/a.txt ham [Meeting at noon., Bring the notes.]", "spam/b.txt spam [WIN NOW!!!, Click here.]"),
                folder.documents().map(d -> d.id() + " " + d.label() + " " + d.sentences()).collect().stream()
                        .sorted().toList());
        folder.unpersist();

        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write("{\"text\": \"First. Second.\"}\n{\"text\": \"Third.\"}\n".getBytes(StandardCharsets.UTF_8));
        }
        put("/jsonl/part-0.jsonl.gz", gz.toByteArray());
        TextCorpus jsonl = TextCorpus.open(session.spark(), uri + "/jsonl", TextDataConfig.defaults());
        assertEquals(List.of("part-0.jsonl.gz#L1 [First., Second.]", "part-0.jsonl.gz#L2 [Third.]"),
                jsonl.documents().map(d -> d.id() + " " + d.sentences()).collect().stream().sorted().toList());
        jsonl.unpersist();
    }
}
