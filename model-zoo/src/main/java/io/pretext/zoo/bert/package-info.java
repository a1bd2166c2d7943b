/**
 * BERT: the model configuration ({@link io.pretext.zoo.bert.BertConfig}, presets
 * {@link io.pretext.zoo.bert.BertPreset}) and the graphs built from it ({@link io.pretext.zoo.bert.Bert}):
 * masked-LM + next-sentence pretraining, the encoder alone, and a sequence classifier.
 */
package io.pretext.zoo.bert;
