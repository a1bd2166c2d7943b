package io.pretext.jobs.train;

import io.pretext.zoo.runtime.Nd4jRuntime;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

/** Per-JVM and per-thread ND4J settings applied at the start of every training task. */
final class WorkerRuntime {

    private static volatile int configuredThreads = -1;

    private WorkerRuntime() {
    }

    /** @param threads ND4J threads for this JVM's training tasks; 0 leaves ND4J's default */
    static void configure(int threads) {
        Nd4jRuntime.configure();
        if (threads > 0 && threads != configuredThreads) {
            synchronized (WorkerRuntime.class) {
                if (threads != configuredThreads) {
                    Nd4j.getEnvironment().setMaxThreads(threads);
                    Nd4j.getEnvironment().setMaxMasterThreads(threads);
                    configuredThreads = threads;
                }
            }
        }
    }

    /**
     * The GPU Spark's resource scheduling gave this task ({@code spark.task.resource.gpu.amount}), or -1 when it
     * gave none (CPU clusters, local mode).
     */
    static int scheduledGpu() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return -1;
        }
        scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
        if (gpu.isEmpty() || gpu.get().addresses().length == 0) {
            return -1;
        }
        return Integer.parseInt(gpu.get().addresses()[0].trim());
    }

    /** Binds the calling thread's ND4J work to {@code gpu} (no-op for -1). */
    static void useGpu(int gpu) {
        if (gpu >= 0) {
            Nd4j.getAffinityManager().unsafeSetDevice(gpu);
        }
    }
}
