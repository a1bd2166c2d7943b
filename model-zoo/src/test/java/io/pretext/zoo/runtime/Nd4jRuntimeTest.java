package io.pretext.zoo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;

class Nd4jRuntimeTest {

    private final String propertyBefore = System.getProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY);

    @AfterEach
    void restoreProperty() {
        if (propertyBefore == null) {
            System.clearProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY);
        } else {
            System.setProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY, propertyBefore);
        }
    }

    /** conv -> batch norm -> max pool, the three layer kinds DL4J hands to oneDNN. */
    private static ComputationGraph convBnPool() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder()
            .dataType(DataType.FLOAT)
            .graphBuilder()
            .addInputs("in")
            .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(8).hasBias(false)
                .convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build(), "in")
            .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
            .addLayer("pool", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                .kernelSize(2, 2).stride(2, 2).build(), "bn")
            .setOutputs("pool")
            .setInputTypes(InputType.convolutional(8, 8, 3))
            .build());
        graph.init();
        return graph;
    }

    private static Layer layer(ComputationGraph graph, String name) {
        return graph.getLayer(name);
    }

    @Test
    void configureGivesConvBatchNormAndPoolingTheirOneDnnHelpers() {
        System.clearProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY);
        Nd4jRuntime.configure();
        ComputationGraph graph = convBnPool();
        assertInstanceOf(MKLDNNConvHelper.class, layer(graph, "conv").getHelper());
        assertInstanceOf(MKLDNNBatchNormHelper.class, layer(graph, "bn").getHelper());
        assertInstanceOf(MKLDNNSubsamplingHelper.class, layer(graph, "pool").getHelper());
    }

    @Test
    void withoutConfigureDl4jCreatesNoHelpers() {
        System.clearProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY);
        assertNull(layer(convBnPool(), "conv").getHelper());
    }

    @Test
    void explicitDisableIsRespected() {
        System.setProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY, "true");
        Nd4jRuntime.configure();
        assertEquals("true", System.getProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY));
        assertNull(layer(convBnPool(), "bn").getHelper());
    }

    @Test
    void configureIsIdempotent() {
        System.clearProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY);
        Nd4jRuntime.configure();
        String first = Nd4jRuntime.describe();
        Nd4jRuntime.configure();
        assertEquals(first, Nd4jRuntime.describe());
        assertEquals("false", System.getProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY));
    }

    @Test
    void describeNamesTheOneDnnNativesAndActiveHelpers() {
        System.clearProperty(Nd4jRuntime.HELPERS_DISABLE_PROPERTY);
        Nd4jRuntime.configure();
        String line = Nd4jRuntime.describe();
        Supplier<String> why = () -> "describe() gave: " + line;
        assertTrue(line.startsWith("backend=CPU "), why);
        assertTrue(line.contains(" natives=nd4j-native-1.0.0-M2.1-linux-x86_64-onednn"), why);
        assertTrue(line.contains(" onednn=on "), why);
        assertTrue(line.contains(" dl4jHelpers=active "), why);
    }

    @Test
    void helperCheckBridgeAnswersFromTheNativeEnvironment() {
        boolean native1 = org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu.Environment.getInstance().isUseONEDNN();
        assertEquals(native1, org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN());
    }
}
