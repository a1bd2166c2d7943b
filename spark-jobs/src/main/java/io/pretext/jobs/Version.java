package io.pretext.jobs;

import org.deeplearning4j.nn.graph.ComputationGraph;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions of Pretext and of what it runs on, for {@code pretext --version} and run manifests. */
public final class Version implements CommandLine.IVersionProvider {

    public static String pretext() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v == null ? "development" : v;
    }

    public static String dl4j() {
        String v = ComputationGraph.class.getPackage().getImplementationVersion();
        if (v != null) {
            return v;
        }
        try (InputStream in = ComputationGraph.class.getResourceAsStream(
                "/META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    public static String spark() {
        return org.apache.spark.package$.MODULE$.SPARK_VERSION();
    }

    @Override
    public String[] getVersion() {
        return new String[]{"pretext " + pretext(), "Deeplearning4j " + dl4j(), "Spark " + spark(),
                "Java " + System.getProperty("java.version")};
    }
}
