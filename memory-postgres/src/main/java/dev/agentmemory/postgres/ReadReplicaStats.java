package dev.agentmemory.postgres;

import java.time.Duration;

/**
 * What the reads of stores opened with hot standbys ({@link ReadReplicaOptions}) did so far, and
 * the standbys' state as the last check saw it: for tests, the bench and an operator's dashboard.
 * See {@link PostgresStoreProvider#readReplicaStats}.
 *
 * @param standbyReads reads a standby answered
 * @param primaryReads reads the primary answered: no standby healthy, or none had replayed the
 *     stores' last write yet, or the standby failed
 * @param healthyStandbys standbys that answer reads now
 * @param standbys standbys configured
 * @param worstLag the largest lag the last check measured
 */
public record ReadReplicaStats(long standbyReads, long primaryReads, int healthyStandbys, int standbys,
                               Duration worstLag) {
}
