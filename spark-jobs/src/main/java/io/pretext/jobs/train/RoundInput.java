package io.pretext.jobs.train;

import java.io.Serializable;

/**
 * What every worker receives at the start of an averaging round (as one Spark broadcast).
 *
 * @param params       the averaged parameters, ND4J bytes
 * @param updaterState the averaged updater state (momentum, Adam moments), ND4J bytes, or null when stateless
 * @param step         the global step the round starts at; learning-rate schedules are indexed by it
 * @param epoch        the epoch of this round
 * @param round        the round within the epoch: worker w trains on its shard's batches
 *                     [round * averagingFrequency, round * averagingFrequency + steps)
 * @param steps        steps each worker takes this round (averagingFrequency, less in an epoch's last round)
 */
record RoundInput(byte[] params, byte[] updaterState, long step, int epoch, int round, int steps)
        implements Serializable {
}
