/** SimCLR view augmentation of decoded images and the two-view minibatch tensors built from it. */
package io.pretext.data.augment;
