package io.pretext.zoo.layers;

import java.util.Objects;

/**
 * One parameter array of a {@link NamedParamsLayer}: its key, its shape {@code [rows, columns]} (vectors are
 * {@code [1, n]}) and its role, which fixes how it is initialised and regularised.
 *
 * @param key     the parameter's name within its layer; the graph calls it {@code <layer>_<key>}
 * @param rows    first dimension, {@code >= 1}
 * @param columns second dimension, {@code >= 1}
 * @param role    what the parameter is
 */
public record LayerParam(String key, long rows, long columns, Role role) {

    /** How a parameter is initialised and whether weight decay applies to it. */
    public enum Role {
        /** Drawn from the layer's weight initialisation; weight decay applies. */
        WEIGHT,
        /** Zeros; no weight decay (DL4J's bias regularisation, normally none). */
        BIAS,
        /** Ones (a layer-norm scale); no weight decay. */
        GAIN
    }

    public LayerParam {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(role, "role");
        if (rows < 1 || columns < 1) {
            throw new IllegalStateException("parameter " + key + " must have a positive shape, got [" + rows + ", "
                    + columns + "]");
        }
    }

    /** A weight matrix {@code [rows, columns]}. */
    public static LayerParam weight(String key, long rows, long columns) {
        return new LayerParam(key, rows, columns, Role.WEIGHT);
    }

    /** A bias row vector {@code [1, size]}. */
    public static LayerParam bias(String key, long size) {
        return new LayerParam(key, 1, size, Role.BIAS);
    }

    /** A gain row vector {@code [1, size]}. */
    public static LayerParam gain(String key, long size) {
        return new LayerParam(key, 1, size, Role.GAIN);
    }

    /** Number of values. */
    public long length() {
        return rows * columns;
    }
}
