package io.pretext.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The deploy scripts parse, pass shellcheck, and build the spark-submit lines they promise. */
class DeployFilesTest {

    private static final Path DEPLOY = Path.of("").toAbsolutePath();
    private static final Path PROJECT = DEPLOY.getParent();

    record Result(int code, String output) {
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(PROJECT.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        return new Result(p.exitValue(), out);
    }

    static Stream<Path> scripts() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String dir : List.of("bin", "submit", "conf", "schedule")) {
            try (Stream<Path> files = Files.list(DEPLOY.resolve(dir))) {
                files.filter(Files::isRegularFile).filter(DeployFilesTest::isShellScript).forEach(out::add);
            }
        }
        out.add(PROJECT.resolve(".ci/run"));
        return out.stream();
    }

    private static boolean isShellScript(Path p) {
        try {
            return Files.readString(p).startsWith("#!/usr/bin/env bash");
        } catch (IOException e) {
            return false;
        }
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void scriptParsesAndPassesShellcheck(Path script) throws Exception {
        assertTrue(Files.isExecutable(script), script + " is executable");
        Result syntax = run(List.of("bash", "-n", script.toString()));
        assertEquals(0, syntax.code(), syntax.output());
        Result lint = run(List.of("shellcheck", "--severity=warning", script.toString()));
        assertEquals(0, lint.code(), lint.output());
    }

    @Test
    void kubernetesPodTemplateIsYaml() throws Exception {
        JsonNode pod = new ObjectMapper(new YAMLFactory()).readTree(DEPLOY.resolve("k8s/executor-pod.yaml").toFile());
        assertEquals("Pod", pod.get("kind").asText());
        assertEquals("spark-kubernetes-executor", pod.at("/spec/containers/0/name").asText());
    }

    @Test
    void airflowDagCompiles() throws Exception {
        Result r = run(List.of("python3", "-c", "import ast,sys; ast.parse(open(sys.argv[1]).read())",
                DEPLOY.resolve("schedule/airflow/pretext_nightly.py").toString()));
        assertEquals(0, r.code(), r.output());
    }

    @ParameterizedTest
    @MethodSource("templates")
    void sparkDefaultsTemplatesHoldOnlySparkProperties(Path template) throws Exception {
        for (String line : Files.readAllLines(template)) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] kv = t.split("\\s+", 2);
            assertTrue(kv[0].startsWith("spark.") && kv.length == 2, "not a property line: " + line);
        }
    }

    static Stream<Path> templates() {
        return Stream.of(DEPLOY.resolve("conf/spark-defaults.conf.template"),
                DEPLOY.resolve("conf/spark-defaults-gpu.conf.template"));
    }

    @Test
    void gpuDiscoveryPrintsSparkResourceJson() throws Exception {
        Result r = run(List.of(DEPLOY.resolve("conf/gpu-discovery.sh").toString()));
        assertEquals(0, r.code(), r.output());
        JsonNode json = new ObjectMapper().readTree(r.output());
        assertEquals("gpu", json.get("name").asText());
        assertTrue(json.get("addresses").isArray());
    }

    record Submit(String master, List<String> options, List<String> expected) {
    }

    static Stream<Submit> submits() {
        return Stream.of(
                new Submit("spark://head:7077", List.of("--executors", "4", "--executor-cores", "8"),
                        List.of("spark.task.cpus=8", "spark.cores.max=32", "--class io.pretext.jobs.Pretext")),
                new Submit("yarn", List.of("--executors", "3", "--gpus", "1", "--executor-cores", "8",
                        "--principal", "pretext@EXAMPLE.COM", "--keytab", "/etc/pretext.keytab"),
                        List.of("spark.executor.instances=3", "spark.executor.resource.gpu.amount=1",
                                "spark.task.resource.gpu.amount=1", "--principal pretext@EXAMPLE.COM",
                                "--keytab /etc/pretext.keytab")),
                new Submit("k8s://https://api:6443", List.of("--image", "registry/pretext:1", "--gpus", "2"),
                        List.of("--deploy-mode cluster", "spark.kubernetes.container.image=registry/pretext:1",
                                "local:///opt/pretext/pretext-app.jar", "spark.executor.resource.gpu.vendor=nvidia.com")));
    }

    @ParameterizedTest
    @MethodSource("submits")
    void submitWrapperBuildsTheSparkSubmitLine(Submit s) throws Exception {
        List<String> command = new ArrayList<>(List.of(DEPLOY.resolve("submit/pretext-submit").toString(),
                "--master", s.master(), "--dry-run", "--app-jar", "/jars/pretext-app.jar"));
        if (s.master().startsWith("k8s")) {
            command.remove(command.size() - 1);
            command.remove(command.size() - 1);
        }
        command.addAll(s.options());
        command.addAll(List.of("pretrain", "simclr", "--data", "hdfs://nn/x", "--out", "hdfs://nn/runs/1"));
        Result r = run(command);
        assertEquals(0, r.code(), r.output());
        String line = r.output().replace("\\ ", " ");
        for (String expected : s.expected()) {
            assertTrue(line.contains(expected), "missing " + expected + " in " + line);
        }
        assertTrue(line.trim().endsWith("pretrain simclr --data hdfs://nn/x --out hdfs://nn/runs/1"), line);
    }

    @Test
    void submitWrapperRefusesAnUnknownMaster() throws Exception {
        Result r = run(List.of(DEPLOY.resolve("submit/pretext-submit").toString(), "--master", "mesos://x",
                "--dry-run", "pretrain"));
        assertEquals(2, r.code());
        assertFalse(r.output().isBlank());
    }
}
