package io.pretext.data.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corpora on a real (in-process) HDFS, read by a local[2] Spark session through hdfs:// URIs. */
class HdfsCorpusTest {

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
    void folderCorpusOnHdfsIsListedLabeledAndDecoded() throws IOException {
        byte[][] fashion = TestImages.fashionImages(4);
        put("/data/shirts/a.png", TestImages.png(fashion[0], 28, 28));
        put("/data/shirts/b.png", TestImages.png(fashion[1], 28, 28));
        put("/data/boots/c.png", TestImages.png(fashion[2], 28, 28));
        put("/data/boots/d.jpg", new byte[0]);
        put("/data/_SUCCESS/e.png", TestImages.png(fashion[3], 28, 28));
        ImageCorpus corpus = ImageCorpus.open(session.spark(), uri + "/data", ImageDataConfig.defaults().withImageSize(1, 28, 28));
        assertEquals(Map.of(RejectReason.EMPTY_FILE, 1L), corpus.rejects().counts());
        assertEquals(List.of("boots", "shirts"), corpus.labels());
        Map<String, ImageRecord> byId = corpus.records().collect().stream()
                .collect(Collectors.toMap(ImageRecord::id, r -> r));
        assertEquals(List.of("boots/c.png", "shirts/a.png", "shirts/b.png"), byId.keySet().stream().sorted().toList());
        assertArrayEquals(fashion[2], byId.get("boots/c.png").pixels());
        assertEquals("boots", byId.get("boots/c.png").label());
        corpus.unpersist();
    }

    @Test
    void missingHdfsPathIsNamedInTheError() {
        String missing = uri + "/nothing/here";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ImageCorpus.open(session.spark(), missing, ImageDataConfig.defaults()));
        assertTrue(e.getMessage().startsWith("no images found under " + missing + ": the path does not exist"), e.getMessage());
    }
}
