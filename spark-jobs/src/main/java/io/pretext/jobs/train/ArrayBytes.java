package io.pretext.jobs.train;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/** ND4J arrays as bytes (ND4J's binary format), for broadcasts and task results. */
final class ArrayBytes {

    private ArrayBytes() {
    }

    static byte[] write(INDArray array) {
        if (array == null) {
            return null;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64,
                    array.length() * array.dataType().width() + 256));
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                Nd4j.write(array, out);
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static INDArray read(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return Nd4j.read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
