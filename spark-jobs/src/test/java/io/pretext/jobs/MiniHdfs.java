package io.pretext.jobs;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** A real HDFS (namenode + one datanode) in this JVM, on loopback. */
public final class MiniHdfs implements AutoCloseable {

    private final MiniDFSCluster cluster;

    public MiniHdfs(Path baseDir) {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.toString());
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        try {
            cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
            cluster.waitActive();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** e.g. {@code hdfs://127.0.0.1:40123} */
    public String uri() {
        try {
            return cluster.getFileSystem().getUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
