package io.pretext.jobs.train;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ArrayBytesTest {

    private static void roundTrips(INDArray a) {
        INDArray back = ArrayBytes.read(ArrayBytes.write(a));
        assertEquals(a.dataType(), back.dataType());
        assertArrayEquals(a.shape(), back.shape());
        assertEquals(a, back);
    }

    @Test
    void floatAndDoubleArraysOfAnyShapeRoundTripExactly() {
        Nd4j.getRandom().setSeed(3);
        roundTrips(Nd4j.rand(DataType.FLOAT, 1, 1000));
        roundTrips(Nd4j.rand(DataType.FLOAT, 3, 4, 5));
        roundTrips(Nd4j.rand(DataType.DOUBLE, 7, 2));
        roundTrips(Nd4j.createFromArray(Float.MIN_VALUE, -1.5f, Float.MAX_VALUE, 1e-30f, Float.NEGATIVE_INFINITY)
                .reshape(1, 5));
    }

    @Test
    void viewsAndFortranOrderTravelAsTheirValuesInCOrder() {
        INDArray big = Nd4j.rand(DataType.FLOAT, 4, 10);
        INDArray view = big.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(2, 7));
        roundTrips(view);
        INDArray fortran = Nd4j.rand(DataType.FLOAT, 'f', 3, 6);
        INDArray back = ArrayBytes.read(ArrayBytes.write(fortran));
        assertEquals('c', back.ordering());
        assertEquals(fortran, back);
    }

    @Test
    void nullStaysNullAndForeignBytesAreRefused() {
        assertNull(ArrayBytes.write(null));
        assertNull(ArrayBytes.read(null));
        assertThrows(IllegalArgumentException.class, () -> ArrayBytes.read(new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> ArrayBytes.write(Nd4j.zeros(DataType.INT, 2)));
    }
}
