package io.pretext.jobs.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Float and double ND4J arrays as bytes for broadcasts and task results: a small header (magic, data type, shape)
 * and the values in C order, copied in bulk. ND4J's own {@code Nd4j.write} moves one element at a time (~400 ms
 * for 11 M floats), which made the parameter and updater transfers of each averaging round cost seconds.
 */
final class ArrayBytes {

    private static final int MAGIC = 0x50415231; // "PAR1"
    private static final byte FLOAT = 1;
    private static final byte DOUBLE = 2;

    private ArrayBytes() {
    }

    static byte[] write(INDArray array) {
        if (array == null) {
            return null;
        }
        byte type = switch (array.dataType()) {
            case FLOAT -> FLOAT;
            case DOUBLE -> DOUBLE;
            default -> throw new IllegalArgumentException("only float and double arrays travel as bytes, got "
                    + array.dataType());
        };
        long[] shape = array.shape();
        long n = array.length();
        int width = type == FLOAT ? 4 : 8;
        long size = 4 + 1 + 4 + 8L * shape.length + n * width;
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("an array of " + n + " values is too large for one byte array");
        }
        ByteBuffer out = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC).put(type).putInt(shape.length);
        for (long d : shape) {
            out.putLong(d);
        }
        INDArray c = array;
        if (c.isView() || c.ordering() != 'c' || c.data().length() != n) {
            c = array.dup('c');
        }
        if (type == FLOAT) {
            out.asFloatBuffer().put(c.data().asFloat());
        } else {
            out.asDoubleBuffer().put(c.data().asDouble());
        }
        return out.array();
    }

    static INDArray read(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (in.getInt() != MAGIC) {
            throw new IllegalArgumentException("not an array written by ArrayBytes");
        }
        byte type = in.get();
        long[] shape = new long[in.getInt()];
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = in.getLong();
            n *= shape[i];
        }
        ByteBuffer values = in.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (type == FLOAT) {
            float[] v = new float[(int) n];
            values.asFloatBuffer().get(v);
            return Nd4j.create(v, shape, 'c');
        }
        if (type == DOUBLE) {
            double[] v = new double[(int) n];
            values.asDoubleBuffer().get(v);
            return Nd4j.create(v, shape, 'c');
        }
        throw new IllegalArgumentException("unknown array type " + type);
    }
}
