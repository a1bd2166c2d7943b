package io.pretext.zoo.autoencoder;

import java.util.Arrays;
import java.util.List;

/**
 * Named autoencoder configurations, one table for the family. Weights are He-initialised
 * ({@code relu}) from seed 42; hidden layers use ReLU.
 */
public enum AutoencoderPreset {

    /** Dense 784-512-256-32 autoencoder of 28x28 grey images (MNIST, Fashion-MNIST), BCE. */
    AE_MNIST("ae-mnist", "dense autoencoder, 28x28 grey, hidden 512/256, code 32, bce",
            new AutoencoderConfig("ae", "dense", List.of(1, 28, 28), List.of(512, 256), List.of(), 32, "bce",
                    "sigmoid", 1.0, 0, "relu", 42L)),
    /** {@link #AE_MNIST} trained on corrupted inputs (set the {@code corrupt:} section). */
    DAE_MNIST("dae-mnist", "denoising dense autoencoder, 28x28 grey, hidden 512/256, code 32, bce",
            new AutoencoderConfig("dae", "dense", List.of(1, 28, 28), List.of(512, 256), List.of(), 32, "bce",
                    "sigmoid", 1.0, 0, "relu", 42L)),
    /** Two stride-2 convolutions (32, 64 channels: 28 -> 14 -> 7), code 32. */
    CONV_AE_28("conv-ae-28", "convolutional autoencoder, 28x28 grey, conv 32/64, code 32, bce",
            new AutoencoderConfig("ae", "conv", List.of(1, 28, 28), List.of(), List.of(32, 64), 32, "bce",
                    "sigmoid", 1.0, 0, "relu", 42L)),
    /** Dense VAE of 28x28 grey images, 16 latent dimensions, KL warm-up over 500 steps. */
    VAE_28("vae-28", "dense variational autoencoder, 28x28 grey, hidden 512/256, latent 16, bce, KL warm-up 500",
            new AutoencoderConfig("vae", "dense", List.of(1, 28, 28), List.of(512, 256), List.of(), 16, "bce",
                    "sigmoid", 1.0, 500, "relu", 42L)),
    /** Convolutional VAE of 32x32 RGB images (CIFAR-sized): conv 32/64/128 (32 -> 4), hidden 256, latent 64. */
    CONV_VAE_32RGB("conv-vae-32rgb",
            "convolutional variational autoencoder, 32x32 RGB, conv 32/64/128, hidden 256, latent 64, bce, "
                    + "KL warm-up 1000",
            new AutoencoderConfig("vae", "conv", List.of(3, 32, 32), List.of(256), List.of(32, 64, 128), 64, "bce",
                    "sigmoid", 1.0, 1000, "relu", 42L)),
    /**
     * Dense autoencoder of standardised numeric feature vectors: hidden 64/32, code 8, MSE. The input
     * shape ({@code [columns]}) comes from the data.
     */
    AE_TABULAR("ae-tabular", "dense autoencoder of standardised feature vectors, hidden 64/32, code 8, mse; "
            + "inputShape from the data",
            new AutoencoderConfig("ae", "dense", List.of(), List.of(64, 32), List.of(), 8, "mse", "identity", 1.0, 0,
                    "relu", 42L));

    private final String key;
    private final String description;
    private final AutoencoderConfig config;

    AutoencoderPreset(String key, String description, AutoencoderConfig config) {
        this.key = key;
        this.description = description;
        this.config = config;
    }

    /** The preset's name, e.g. {@code "vae-28"}. */
    public String key() {
        return key;
    }

    /** One line for listings. */
    public String description() {
        return description;
    }

    /** The model configuration. */
    public AutoencoderConfig config() {
        return config;
    }

    /** All preset names, in table order. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(AutoencoderPreset::key).toList();
    }

    /**
     * The preset called {@code key}.
     *
     * @throws IllegalArgumentException naming the valid presets if there is none
     */
    public static AutoencoderPreset of(String key) {
        for (AutoencoderPreset p : values()) {
            if (p.key.equals(key)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown autoencoder preset " + (key == null ? "null" : "\"" + key + "\"")
                + " (valid: " + String.join(", ", keys()) + ")");
    }
}
