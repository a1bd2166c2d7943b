/** Deterministic, JVM-independent assignment of records to shards and of their order per epoch. */
package io.pretext.data.shard;
