package dev.agentmemory.postgres;

import org.apache.ibatis.annotations.Select;
import org.jspecify.annotations.Nullable;

/**
 * Where the write-ahead log stands, on the primary and on a hot standby, as a byte position
 * ({@code pg_lsn} minus {@code 0/0}), so that positions compare as numbers. Any role may ask.
 */
interface ReplicationMapper {

    /**
     * The primary's insert position: read after a commit it is past the commit's record, whatever
     * {@code synchronous_commit} says (the write and flush positions may still be short of it).
     */
    @Select("SELECT (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint")
    long insertPosition();

    /** The primary's write position: how far a standby could have received. */
    @Select("SELECT (pg_current_wal_lsn() - '0/0'::pg_lsn)::bigint")
    long writePosition();

    /**
     * On a hot standby, the end of the last record it replayed, whose changes its new snapshots
     * see; null on a server that is not (or no longer) in recovery.
     */
    @Select("SELECT CASE WHEN pg_is_in_recovery() THEN (pg_last_wal_replay_lsn() - '0/0'::pg_lsn)::bigint END")
    @Nullable Long replayPosition();
}
