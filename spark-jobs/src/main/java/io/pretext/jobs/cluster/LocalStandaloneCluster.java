package io.pretext.jobs.cluster;

import io.pretext.zoo.runtime.Nd4jRuntime;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real Spark standalone cluster on 127.0.0.1: a master and workers, each its own JVM, started from this JVM's
 * classpath; the workers launch executors as further JVMs with the same classpath. Used by the scaling
 * benchmark and the distributed tests to measure and exercise multi-executor training on one machine.
 *
 * <p>Spark's worker builds executor command lines from {@code SPARK_HOME}; a minimal one (a RELEASE file and
 * empty jar folders) is enough when {@code spark.executor.extraClassPath} carries the classes.
 */
public final class LocalStandaloneCluster implements AutoCloseable {

    private final Path workDir;
    private final String classpath;
    private final Path sparkHome;
    private final int masterPort;
    private final int masterUiPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    public LocalStandaloneCluster(Path workDir, int workerCount, int coresPerWorker, String memoryPerWorker) {
        this.workDir = workDir;
        this.classpath = absoluteClasspath();
        try {
            sparkHome = Files.createDirectories(workDir.resolve("spark-home"));
            Files.writeString(sparkHome.resolve("RELEASE"), "Spark 3.5 (classes from the test classpath)\n");
            Files.createDirectories(sparkHome.resolve("jars"));
            Files.createDirectories(sparkHome.resolve("launcher/target/scala-2.12"));
            masterPort = freePort();
            masterUiPort = freePort();
            master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(masterPort), "--webui-port", String.valueOf(masterUiPort));
            waitFor(() -> masterJson().contains("\"status\""), "master on port " + masterPort);
            for (int i = 0; i < workerCount; i++) {
                workers.add(start("worker-" + i, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                        "--cores", String.valueOf(coresPerWorker), "--memory", memoryPerWorker,
                        "--webui-port", String.valueOf(freePort()),
                        "--work-dir", Files.createDirectories(workDir.resolve("work-" + i)).toString(), masterUrl()));
            }
            waitFor(() -> countAlive(masterJson()) == workerCount, workerCount + " workers registered");
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Spark settings a driver needs to use this cluster from this classpath. */
    public Map<String, String> driverConf(String executorMemory) {
        return Map.of(
                "spark.executor.extraClassPath", classpath,
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.memory", executorMemory,
                "spark.executor.extraJavaOptions", "-Dorg.eclipse.deeplearning4j.helpers.disable=false",
                "spark.ui.enabled", "false");
    }

    /** The executor JVMs the workers have launched. */
    public List<ProcessHandle> executors() {
        return workers.stream().flatMap(Process::descendants)
                .filter(p -> commandLine(p).contains("CoarseGrainedExecutorBackend"))
                .toList();
    }

    /** The full command line from /proc (ProcessHandle.Info drops very long ones, such as a JVM's classpath). */
    private static String commandLine(ProcessHandle p) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(p.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Kills one executor JVM hard, as a crashed machine would. */
    public void killOneExecutor() {
        List<ProcessHandle> executors = executors();
        if (executors.isEmpty()) {
            throw new IllegalStateException("no executor is running");
        }
        executors.get(0).destroyForcibly();
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-cp", classpath));
        command.addAll(jvmOpens());
        command.add(mainClass);
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOG_DIR", workDir.toString());
        pb.environment().putAll(Nd4jRuntime.RECOMMENDED_ENVIRONMENT); // inherited by the executors
        return pb.start();
    }

    private String masterJson() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + masterUiPort + "/json/")
                    .toURL().openConnection();
            c.setConnectTimeout(1000);
            c.setReadTimeout(2000);
            try (var in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            return "";
        }
    }

    private static int countAlive(String json) {
        int n = 0;
        for (int i = json.indexOf("\"state\" : \"ALIVE\""); i >= 0; i = json.indexOf("\"state\" : \"ALIVE\"", i + 1)) {
            n++;
        }
        return n;
    }

    private void waitFor(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline || !master.isAlive()) {
                throw new IllegalStateException("standalone cluster: timed out waiting for " + what + " (logs in "
                        + workDir + ")");
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() {
        List<Process> all = new ArrayList<>(workers);
        if (master != null) {
            all.add(master);
        }
        for (Process p : all) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (Process p : all) {
            try {
                p.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public static String absoluteClasspath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> new File(p).getAbsolutePath())
                .collect(Collectors.joining(File.pathSeparator));
    }

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static List<String> jvmOpens() {
        return List.of("--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
                "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
                "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
                "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED", "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
                "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED", "-Djdk.reflect.useDirectMethodHandle=false");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
