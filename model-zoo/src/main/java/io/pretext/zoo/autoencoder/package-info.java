/**
 * The autoencoder family for dimensionality reduction and anomaly detection: plain ({@code ae}),
 * denoising ({@code dae}) and variational ({@code vae}), dense or convolutional.
 *
 * <ul>
 *   <li>{@link io.pretext.zoo.autoencoder.AutoencoderConfig} (YAML {@code model:}) and the preset table
 *       {@link io.pretext.zoo.autoencoder.AutoencoderPreset}.</li>
 *   <li>{@link io.pretext.zoo.autoencoder.Autoencoder}: the training graph, the MultiDataSet layout per kind,
 *       encoder-only and decoder-only graphs, embeddings, reconstructions, anomaly scores, the negative
 *       ELBO and prior samples.</li>
 *   <li>The vae's custom layers: {@link io.pretext.zoo.autoencoder.GaussianSample} (reparameterised
 *       draw) and {@link io.pretext.zoo.autoencoder.KlDivergence} (the KL output, weighted by
 *       {@link io.pretext.zoo.autoencoder.KlWarmup} at the graph's iteration count). The losses are in
 *       {@code io.pretext.zoo.loss}: {@code ReconstructionLoss}, {@code GaussianKlLoss}.</li>
 * </ul>
 *
 * <h2>How the jobs use it</h2>
 * <ul>
 *   <li><b>pretrain</b>: resolve the config ({@code withInputShape(List.of(columns))} for feature data,
 *       whose preset leaves {@code inputShape} empty; check that an image model's {@code inputShape} equals
 *       {@code [data.channels, data.height, data.width]}; {@code kind: dae} needs a {@code corrupt.kind}
 *       other than {@code none}, and ae/vae normally train on clean inputs). Ship
 *       {@code Autoencoder.configuration(model, optimizer).toJson()} to the executors; a training task's
 *       batch is {@code AutoencoderBatch.ofImages(records, corruption, seed, epoch)} (or {@code ofFeatures}
 *       with the training {@code FeatureStats}) turned into
 *       {@code Autoencoder.trainingBatch(model, batch.input(), batch.target())}. The parameter-averaging
 *       engine's {@code setIterationCount(step)} drives the KL warm-up and its seeding of
 *       {@code Nd4j.getRandom()} fixes the vae's sampling noise. For feature data, compute
 *       {@code FeatureStats.compute(corpus)} on the driver before training and save {@code toJson()} in
 *       the run directory next to the model.</li>
 *   <li><b>embed</b>: {@code Autoencoder.encoderOnly(trained, model)}, then
 *       {@code Autoencoder.encode(encoder, model, batch)}: {@code [N, latentSize]} (the vae's posterior
 *       mean).</li>
 *   <li><b>score</b>: {@code Autoencoder.reconstructionError(trained, model, batch)} per example (mean
 *       element loss), and for vae also {@code Autoencoder.negativeElbo(trained, model, batch)}; feature
 *       data is standardised with the saved statistics after {@code requireColumns}.</li>
 *   <li><b>sample</b> (vae): {@code Autoencoder.decode(Autoencoder.decoderOnly(trained, model), model,
 *       Autoencoder.priorSample(model, n, seed))}; reconstruction grids:
 *       {@code Autoencoder.reconstruct(trained, model, images)}.</li>
 *   <li><b>evaluate</b>: anomaly AUROC from those scores against the corpus labels; linear probe / kNN on the
 *       embeddings.</li>
 * </ul>
 */
package io.pretext.zoo.autoencoder;
