package org.nd4j.nativeblas;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Compatibility bridge for DL4J 1.0.0-M2.1's oneDNN layer helpers.
 *
 * <p>{@code org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper.mklDnnEnabled()} decides whether the
 * convolution, batch-norm and pooling layers may hand their work to oneDNN by looking up, by
 * reflection, {@code org.nd4j.nativeblas.Nd4jCpu$Environment.getInstance().isUseMKLDNN()}. That class
 * existed before 1.0.0-M2; in M2.1 the bindings moved to
 * {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu}, the lookup fails and every helper stays
 * off. This class restores the old name and answers from the new bindings, so the decision is again
 * the native library's own ({@code Environment.isUseONEDNN()}).
 *
 * <p>The new bindings are reached by reflection so that this compiles and loads with the CUDA
 * backend too (where DL4J never asks). Nothing in Pretext calls this class directly:
 * {@code io.pretext.zoo.runtime.Nd4jRuntime} checks it. It must keep exactly this name and must not
 * be relocated by jar shading.
 */
public final class Nd4jCpu {

    private static final String CPU_ENVIRONMENT = "org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment";

    private Nd4jCpu() {
    }

    /** The view of the native environment that DL4J's helper check reads. */
    public static final class Environment {

        private static final Environment INSTANCE = new Environment();

        /** {@code () -> boolean}: the CPU backend's isUseONEDNN(); null when the CPU backend is absent. */
        private static final MethodHandle USE_ONEDNN = lookUpUseOneDnn();

        private Environment() {
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** True when the loaded libnd4j was built with oneDNN and its use is switched on. */
        public boolean isUseMKLDNN() {
            if (USE_ONEDNN == null) {
                return false;
            }
            try {
                return (boolean) USE_ONEDNN.invokeExact();
            } catch (Throwable t) {
                throw new IllegalStateException("cannot read " + CPU_ENVIRONMENT + ".isUseONEDNN()", t);
            }
        }

        private static MethodHandle lookUpUseOneDnn() {
            try {
                Class<?> env = Class.forName(CPU_ENVIRONMENT, true, Nd4jCpu.class.getClassLoader());
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                MethodHandle getInstance = lookup.findStatic(env, "getInstance", MethodType.methodType(env));
                MethodHandle isUse = lookup.findVirtual(env, "isUseONEDNN", MethodType.methodType(boolean.class));
                return MethodHandles.filterReturnValue(getInstance, isUse);
            } catch (ClassNotFoundException e) {
                return null;
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(CPU_ENVIRONMENT + " has no getInstance()/isUseONEDNN()", e);
            }
        }
    }
}
