/**
 * The ND4J/DL4J runtime state Pretext trains in, and how to get it in every JVM.
 *
 * <h2>Recipe for fast CPU training (DL4J 1.0.0-M2.1)</h2>
 * <ol>
 *   <li><b>Natives.</b> {@code nd4j-native} with classifier {@code linux-x86_64-onednn-avx2} and not the
 *       plain {@code linux-x86_64} jar (the parent pom's cpu profile does this). oneDNN picks its AVX-512
 *       kernels at run time where the CPU has them.</li>
 *   <li><b>Helpers on.</b> Call {@link io.pretext.zoo.runtime.Nd4jRuntime#configure()} first in every JVM
 *       that builds a graph: the driver, each executor (first thing in the task code that builds or
 *       restores the graph) and test forks. Also pass
 *       {@link io.pretext.zoo.runtime.Nd4jRuntime#RECOMMENDED_JVM_OPTIONS} in
 *       {@code spark.driver.extraJavaOptions} / {@code spark.executor.extraJavaOptions}, so layers that
 *       library code creates before Pretext code runs get their helpers too. The bridge class
 *       {@code org.nd4j.nativeblas.Nd4jCpu} must be loaded by the same class loader as
 *       {@code deeplearning4j-nn} (same jar or class path) and must not be relocated when shading.</li>
 *   <li><b>Environment.</b> Export {@link io.pretext.zoo.runtime.Nd4jRuntime#RECOMMENDED_ENVIRONMENT}
 *       before the JVM starts: in the launcher for the driver (local mode runs the tasks in the driver
 *       JVM) and as {@code spark.executorEnv.NAME} for executors. Set {@code OMP_NUM_THREADS} to the
 *       cores of a machine divided by the training tasks running on it at once (one training task per
 *       executor with {@code spark.task.cpus} = executor cores, or {@code local[1]}-style single task, lets
 *       it stay at the core count).</li>
 *   <li><b>Layers.</b> Build every convolution -&gt; batch norm (-&gt; ReLU) block as one
 *       {@link io.pretext.zoo.layers.ConvBatchNorm} (NCHW, no convolution bias). Never rely on
 *       {@code BatchNormalization.Builder.activation(...)}: M2.1's batch-norm layer ignores it. Residual
 *       joins stay {@code ElementWiseVertex(Add)} then {@code ActivationLayer(RELU)}. Float32,
 *       workspace mode {@code ENABLED} for training and inference (off costs ~1.5x), NCHW activations
 *       (NHWC was slower in DL4J's own layers).</li>
 *   <li><b>Check.</b> Log {@link io.pretext.zoo.runtime.Nd4jRuntime#describe()} on the driver and once per
 *       executor; it must read {@code onednn=on dl4jHelpers=active mallocTuned=true}.</li>
 * </ol>
 */
package io.pretext.zoo.runtime;
