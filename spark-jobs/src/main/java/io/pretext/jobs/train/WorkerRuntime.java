package io.pretext.jobs.train;

import org.nd4j.linalg.factory.Nd4j;

/** Per-JVM ND4J settings applied at the start of every training task (idempotent and cheap). */
final class WorkerRuntime {

    private static volatile int configuredThreads = -1;

    private WorkerRuntime() {
    }

    /** @param threads ND4J threads for this JVM's training tasks; 0 leaves ND4J's default */
    static void configure(int threads) {
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
}
