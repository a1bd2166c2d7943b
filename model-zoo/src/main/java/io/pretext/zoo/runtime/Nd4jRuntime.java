package io.pretext.zoo.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.config.DL4JClassLoading;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts ND4J/DL4J into the state Pretext trains in, and says what that state is.
 *
 * <p>DL4J 1.0.0-M2.1 as shipped runs convolution, batch norm and pooling through its own slow Java
 * code instead of oneDNN, for two reasons: (1) its helpers are off unless the system property
 * {@value #HELPERS_DISABLE_PROPERTY} is {@code false} (the default is {@code true}); (2) the
 * check that lets a oneDNN helper run looks up a class that M2.1 no longer ships, which the
 * bridge class {@code org.nd4j.nativeblas.Nd4jCpu} in this module supplies again. {@link #configure()}
 * takes care of (1) and verifies (2).
 *
 * <p>Call {@link #configure()} first thing in every JVM that builds or trains a graph (driver,
 * executors, tests): DL4J reads the property each time a layer is created, so layers made before
 * the call keep no helper. Settings that must be in place before the process starts are environment
 * variables and cannot be set from here; {@link #RECOMMENDED_ENVIRONMENT} lists them for launchers
 * (e.g. as {@code spark.executorEnv.*}), {@link #describe()} reports them and {@link #configure()}
 * warns about missing ones.
 */
public final class Nd4jRuntime {

    /** DL4J's switch for layer helpers (cuDNN/oneDNN); DL4J treats an absent value as "true". */
    public static final String HELPERS_DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    /** JVM options for every JVM that trains (driver, executors, test forks). */
    public static final List<String> RECOMMENDED_JVM_OPTIONS = List.of("-D" + HELPERS_DISABLE_PROPERTY + "=false");

    /**
     * Environment for every process that trains, read by the C runtime before any Java code runs.
     * <ul>
     *   <li>{@code OMP_WAIT_POLICY=PASSIVE}: idle OpenMP threads sleep instead of spinning; same speed,
     *       less CPU burnt, and far less slowdown when the cores are shared.</li>
     *   <li>{@code MALLOC_MMAP_THRESHOLD_}, {@code MALLOC_TRIM_THRESHOLD_}, {@code MALLOC_TOP_PAD_}: libnd4j
     *       allocates oneDNN scratch and reorder buffers of megabytes on every op call; glibc serves those
     *       with fresh mmap()s by default, so every step page-faults them in again (18% of ResNet-18
     *       step time went to page faults). Keeping them on the heap removes that.</li>
     *   <li>{@code OPENBLAS_THREAD_TIMEOUT=4}: OpenBLAS worker threads (the dense head and the loss) otherwise
     *       spin in {@code sched_yield} for ~2^28 cycles after every call; with 2^4 they sleep at once
     *       (small CNN: CPU time per step 284 -> 220 ms at the same or better wall time).</li>
     * </ul>
     * Threads per native op ({@code OMP_NUM_THREADS}) are left to the deployment: the cores of the
     * machine divided by the training tasks that run at once.
     */
    public static final Map<String, String> RECOMMENDED_ENVIRONMENT = recommendedEnvironment();

    /** The class DL4J's oneDNN helper check loads by name; supplied by this module. */
    static final String HELPER_CHECK_CLASS = "org.nd4j.nativeblas.Nd4jCpu$Environment";

    private static final Logger log = LoggerFactory.getLogger(Nd4jRuntime.class);
    private static final AtomicBoolean reported = new AtomicBoolean();

    private Nd4jRuntime() {
    }

    /**
     * Enables DL4J's oneDNN layer helpers for layers created from now on. Idempotent and cheap after the
     * first call. An explicit {@code -D}{@value #HELPERS_DISABLE_PROPERTY}{@code =true} is respected (to
     * compare against the slow path) and logged as a warning.
     *
     * @throws IllegalStateException if the helper-check bridge class is not visible to DL4J's class
     *     loader (it would silently leave every helper off)
     */
    public static void configure() {
        String disable = System.getProperty(HELPERS_DISABLE_PROPERTY);
        if (disable == null) {
            System.setProperty(HELPERS_DISABLE_PROPERTY, "false");
        }
        if (!DL4JClassLoading.classPresentOnClasspath(HELPER_CHECK_CLASS, DL4JClassLoading.getDl4jClassloader())) {
            throw new IllegalStateException(HELPER_CHECK_CLASS + " is not visible to DL4J's class loader "
                + DL4JClassLoading.getDl4jClassloader() + ": DL4J's oneDNN helpers would stay off "
                + "(put pretext-model-zoo on the same class path as deeplearning4j-nn, and do not relocate "
                + "org.nd4j.nativeblas when shading)");
        }
        if (reported.compareAndSet(false, true)) {
            if ("true".equalsIgnoreCase(disable)) {
                log.warn("{}=true was set explicitly: DL4J layers run without oneDNN (several times slower)",
                    HELPERS_DISABLE_PROPERTY);
            }
            for (Map.Entry<String, String> e : RECOMMENDED_ENVIRONMENT.entrySet()) {
                if (System.getenv(e.getKey()) == null) {
                    log.warn("environment variable {} is not set (recommended {}={}; training runs slower without it)",
                        e.getKey(), e.getKey(), e.getValue());
                }
            }
            log.info("ND4J runtime: {}", describe());
        }
    }

    /** True when layers created now get DL4J's oneDNN helpers: property off and the native check passing. */
    public static boolean helpersActive() {
        boolean allowed = !Boolean.parseBoolean(System.getProperty(HELPERS_DISABLE_PROPERTY, "true"));
        return allowed && isCpuBackend() && BaseMKLDNNHelper.mklDnnEnabled();
    }

    /**
     * One line for logs, e.g. {@code backend=CPU natives=nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2
     * onednn=on dl4jHelpers=active ompThreads=2 OMP_NUM_THREADS=unset OMP_WAIT_POLICY=PASSIVE mallocTuned=true
     * blasThreads=2 cores=2}.
     */
    public static String describe() {
        Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        StringBuilder line = new StringBuilder()
            .append("backend=").append(env.getProperty("backend"))
            .append(" natives=").append(nativeArtifact());
        if (isCpuBackend()) {
            line.append(" onednn=").append(BaseMKLDNNHelper.mklDnnEnabled() ? "on" : "off");
        }
        line.append(" dl4jHelpers=").append(helpersActive() ? "active" : "off")
            .append(" ompThreads=").append(env.get("omp.threads"))
            .append(" OMP_NUM_THREADS=").append(envOrUnset("OMP_NUM_THREADS"))
            .append(" OMP_WAIT_POLICY=").append(envOrUnset("OMP_WAIT_POLICY"))
            .append(" mallocTuned=").append(System.getenv("MALLOC_MMAP_THRESHOLD_") != null)
            .append(" blasThreads=").append(env.get("blas.threads"))
            .append(" cores=").append(env.get("cores"));
        return line.toString();
    }

    private static Map<String, String> recommendedEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        env.put("MALLOC_MMAP_THRESHOLD_", "1073741824");    // 1 GiB: no mmap() per buffer
        env.put("MALLOC_TRIM_THRESHOLD_", "4294967296");    // 4 GiB: keep freed memory mapped
        env.put("MALLOC_TOP_PAD_", "268435456");            // 256 MiB grown at a time
        env.put("OPENBLAS_THREAD_TIMEOUT", "4");            // idle BLAS threads sleep after 2^4 cycles
        return java.util.Collections.unmodifiableMap(env);
    }

    private static boolean isCpuBackend() {
        return "CPU".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }

    /**
     * The jar the native ND4J library was unpacked from, e.g. {@code nd4j-native-1.0.0-M2.1-linux-x86_64-onednn-avx2}:
     * JavaCPP caches each library under a folder named after its jar.
     */
    static String nativeArtifact() {
        Map<String, String> loaded = Loader.getLoadedLibraries();
        for (Map.Entry<String, String> e : loaded.entrySet()) {
            if (e.getKey().startsWith("jnind4j")) {
                String path = e.getValue();
                int jar = path.indexOf(".jar/");
                if (jar < 0) {
                    return path;
                }
                int start = path.lastIndexOf('/', jar) + 1;
                return path.substring(start, jar);
            }
        }
        return "unknown";
    }

    private static String envOrUnset(String name) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? "unset" : value;
    }
}
