package dev.agentmemory.postgres;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.StorageException;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.ibatis.session.SqlSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tenant partitioning: {@code agent_episodes} hash-partitioned by {@code project_id}, each
 * partition with its own indexes, its HNSW graph among them (store property
 * {@code schema.partitions}, chosen at {@code init}). A search filtered by project reads one
 * partition (the planner prunes the others); a search across projects reads every partition's
 * index and merges them in distance order. Why and what it costs: {@code docs/postgres-scale-out.md}.
 *
 * <p>An existing plain table, this library's or one taken over from the earlier deployment, is
 * moved by {@link #partition}: a partitioned twin {@code agent_episodes_partitioned} with the
 * table's columns and the library's indexes is made, a trigger repeats every write to the old
 * table on the twin, the rows are copied in key order (project_id, episode_id) in batches of their
 * own transactions, each recording its last key in {@code agent_memory_meta}, and at the end the
 * old table is locked for the swap: the rows written since the last batch are copied, the counts
 * compared, and the twin takes the name {@code agent_episodes}. Writers (the earlier deployment's
 * plain INSERTs included) keep writing throughout and wait only for the swap, which copies
 * no more than what was written since the last batch. An interrupted move resumes from its
 * recorded key when it is started again, with the same number of partitions. The old table is kept
 * as {@code agent_episodes_unpartitioned} for the operator to drop once satisfied (or dropped at
 * once when it was empty, as at a fresh {@code init}).
 *
 * <p>Run it on a direct connection (not through pgbouncer: the swap holds a lock across
 * statements). A partitioned table is never turned back into a plain one here.
 */
public final class PostgresPartitioning {

    /** The most partitions: beyond it every unfiltered search and every insert's id check grows. */
    public static final int MAX_PARTITIONS = 1024;
    /** Rows a batch copies by default: a few seconds of work, with its HNSW inserts. */
    public static final int DEFAULT_BATCH_ROWS = 5_000;

    static final String PARTITIONS_KEY = "partitions";
    static final String MOVING_KEY = "partitions.moving";
    static final String CURSOR_PROJECT_KEY = "partitions.cursor.project";
    static final String CURSOR_EPISODE_KEY = "partitions.cursor.episode";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresPartitioning.class);
    private static final long PROGRESS_NANOS = 5_000_000_000L;

    private PostgresPartitioning() {
    }

    /** What a move reports as it goes. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param moved rows copied so far by this run (rows mirrored from writers not counted)
         * @param total rows of the old table when this run started
         */
        void moved(long moved, long total);
    }

    /** How a call to {@link #partition} ended. */
    public record Outcome(long moved, boolean done, int partitions) {
    }

    /**
     * Makes {@code agent_episodes} hash-partitioned by project with {@code partitions} partitions, moving
     * its rows, or resumes a move that was interrupted. Does nothing when it already is partitioned so.
     *
     * @param dataSource a direct connection to a migrated schema; not closed
     * @param partitions 1 to {@value #MAX_PARTITIONS}
     * @param batchRows rows a batch copies, at least 1
     * @param maxBatches stop after this many batches (the move stays resumable), or 0 for no limit
     * @param progress told after each batch
     * @return how many rows this call copied and whether the swap is done
     * @throws ConfigurationException when the table is partitioned otherwise, or another move is under way
     */
    public static Outcome partition(DataSource dataSource, int partitions, int batchRows, int maxBatches,
                                    Progress progress) {
        return partition(Database.on(dataSource), partitions, batchRows, maxBatches, progress);
    }

    static void checkPartitions(String name, int partitions) {
        if (partitions < 0 || partitions > MAX_PARTITIONS) {
            throw new InvalidInputException(name, partitions + " is outside 0 to " + MAX_PARTITIONS
                    + " (0 keeps agent_episodes one table)");
        }
    }

    /** @return the partitions of {@code agent_episodes}, 0 for a plain table */
    static int partitions(Database db) {
        return db.autoCommit("reading the partitions of agent_episodes",
                s -> s.getMapper(PartitionMapper.class).episodesPartitions());
    }

    /**
     * Checks that the schema has the layout asked for: a store opened with partitions on a plain table
     * (the move never ran) is refused, as its operator expects the partitioned layout's behaviour.
     */
    static void verify(Database db, int partitions) {
        if (partitions == 0) {
            return;
        }
        int actual = partitions(db);
        if (actual != partitions) {
            throw new ConfigurationException("agent_episodes has " + (actual == 0 ? "no partitions" : actual + " partitions")
                    + " but schema.partitions is " + partitions + ": run agent-memory init with schema.partitions="
                    + partitions + " (it moves the rows, resumably), or set schema.partitions=" + actual);
        }
    }

    static Outcome partition(Database db, int partitions, int batchRows, int maxBatches, Progress progress) {
        checkPartitions("partitions", partitions);
        if (partitions == 0) {
            throw new InvalidInputException("partitions", "0 asks for no partitions; give 1 to " + MAX_PARTITIONS);
        }
        if (batchRows < 1) {
            throw new InvalidInputException("batchRows", batchRows + " is below 1");
        }
        if (maxBatches < 0) {
            throw new InvalidInputException("maxBatches", maxBatches + " is negative");
        }
        String kind = db.autoCommit("reading the layout of agent_episodes",
                s -> s.getMapper(PartitionMapper.class).episodesKind());
        if (kind == null) {
            throw new ConfigurationException("no table agent_episodes in schema '" + PostgresSchema.currentSchema(db)
                    + "' to partition: create the schema first");
        }
        if ("p".equals(kind)) {
            int actual = partitions(db);
            if (actual != partitions) {
                throw new ConfigurationException("agent_episodes is already partitioned by project into " + actual
                        + " partitions, not " + partitions + ": changing the count is not supported; set"
                        + " schema.partitions=" + actual);
            }
            return new Outcome(0, true, actual);
        }
        Integer staged = db.autoCommit("looking for a move under way",
                s -> s.getMapper(PartitionMapper.class).stagingPartitions());
        if (staged == null) {
            db.transaction("creating the partitioned table", s -> {
                PartitionMapper m = s.getMapper(PartitionMapper.class);
                m.createStaging(partitions);
                m.createMirror();
                s.getMapper(MaintenanceMapper.class).putMeta(MOVING_KEY, Integer.toString(partitions));
                return null;
            });
        } else if (staged != partitions) {
            throw new ConfigurationException("a move of agent_episodes into " + staged + " partitions is under way"
                    + " (table agent_episodes_partitioned): resume it with schema.partitions=" + staged);
        }
        long total = db.autoCommit("counting episodes", s -> s.getMapper(PartitionMapper.class).countEpisodes());
        if (total > 0) {
            // Long work shows progress; an empty table (a fresh init) is done in moments, silently.
            LOG.info("agent_episodes in '{}': {} the move of about {} rows into {} partitions by project",
                    PostgresSchema.currentSchema(db), staged == null ? "starting" : "resuming", total, partitions);
        }
        long moved = 0;
        long lastReport = System.nanoTime();
        for (int batch = 0; maxBatches == 0 || batch < maxBatches; batch++) {
            long rows = db.retryingTransaction("copying episodes into their partitions",
                    s -> copyBatch(s, batchRows));
            moved += rows;
            long now = System.nanoTime();
            if (total > 0 && (rows < batchRows || now - lastReport > PROGRESS_NANOS)) {
                LOG.info("agent_episodes: {} of about {} rows moved", moved, total);
                lastReport = now;
            }
            progress.moved(moved, total);
            if (rows < batchRows) {
                long left = swap(db, partitions, batchRows);
                moved += left;
                progress.moved(moved, total);
                return new Outcome(moved, true, partitions);
            }
        }
        LOG.info("agent_episodes: stopped after {} batches with {} rows moved; run again to resume", maxBatches, moved);
        return new Outcome(moved, false, partitions);
    }

    /** One batch after the recorded cursor, and the cursor moved past it, in the caller's transaction. */
    private static long copyBatch(SqlSession s, int batchRows) {
        SchemaMapper recorded = s.getMapper(SchemaMapper.class);
        MaintenanceMapper meta = s.getMapper(MaintenanceMapper.class);
        String episode = recorded.meta(CURSOR_EPISODE_KEY);
        Map<String, Object> cursor = s.getMapper(PartitionMapper.class).copyBatch(recorded.meta(CURSOR_PROJECT_KEY),
                episode == null ? null : UUID.fromString(episode), batchRows);
        if (cursor == null) {
            return 0;
        }
        meta.putMeta(CURSOR_PROJECT_KEY, String.valueOf(cursor.get("lastProject")));
        meta.putMeta(CURSOR_EPISODE_KEY, String.valueOf(cursor.get("lastEpisode")));
        return cursor.get("rows") instanceof Number rows ? rows.longValue() : 0;
    }

    /**
     * Under an exclusive lock on the old table: the rows written since the last batch, the counts
     * compared, the names swapped, the meta written. One transaction: a failure leaves the move
     * where it was, resumable.
     *
     * @return rows copied under the lock
     */
    private static long swap(Database db, int partitions, int batchRows) {
        long[] result = db.transaction("swapping in the partitioned agent_episodes", s -> {
            PartitionMapper m = s.getMapper(PartitionMapper.class);
            MaintenanceMapper meta = s.getMapper(MaintenanceMapper.class);
            m.lockEpisodes();
            long left = 0;
            for (long rows = batchRows; rows == batchRows; ) {
                rows = copyBatch(s, batchRows);
                left += rows;
            }
            long before = m.countEpisodes();
            long after = m.countStaging();
            if (before != after) {
                throw new StorageException("agent_episodes holds " + before + " rows but its partitioned copy "
                        + after + ": nothing was swapped; run the move again to resume it", null);
            }
            m.swap();
            if (before == 0) {
                m.dropUnpartitioned();
            }
            meta.putMeta(PARTITIONS_KEY, Integer.toString(partitions));
            m.deleteMeta(MOVING_KEY);
            m.deleteMeta(CURSOR_PROJECT_KEY);
            m.deleteMeta(CURSOR_EPISODE_KEY);
            return new long[] {left, before};
        });
        if (result[1] > 0) {
            LOG.info("agent_episodes in '{}' is partitioned by project into {} partitions ({} rows); the plain table"
                    + " is kept as agent_episodes_unpartitioned: drop it once satisfied", PostgresSchema.currentSchema(db),
                    partitions, result[1]);
        } else {
            LOG.debug("agent_episodes in '{}' made partitioned by project into {} partitions",
                    PostgresSchema.currentSchema(db), partitions);
        }
        return result[0];
    }
}
