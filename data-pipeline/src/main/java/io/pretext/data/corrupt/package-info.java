/**
 * Autoencoder inputs: {@link io.pretext.data.corrupt.CorruptionConfig} (YAML section {@code corrupt:}) and
 * {@link io.pretext.data.corrupt.Corruption}, the input noise of denoising autoencoders, drawn per record from
 * (run seed, epoch, record id); {@link io.pretext.data.corrupt.AutoencoderBatch}, the (input, target) pair of
 * one minibatch from decoded images or feature rows.
 */
package io.pretext.data.corrupt;
