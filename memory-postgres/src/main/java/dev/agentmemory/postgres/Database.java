package dev.agentmemory.postgres;

import dev.agentmemory.postgres.mybatis.InstantTypeHandler;
import dev.agentmemory.postgres.mybatis.JsonbTypeHandler;
import dev.agentmemory.postgres.mybatis.UuidListTypeHandler;
import dev.agentmemory.postgres.mybatis.UuidTypeHandler;
import dev.agentmemory.postgres.mybatis.VectorTypeHandler;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.TransientMemoryException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.ExecutorType;
import org.apache.ibatis.session.LocalCacheScope;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.apache.ibatis.type.TypeHandlerRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MyBatis on a caller's {@link DataSource}, configured in code (no Spring, no XML configuration
 * file), and the one place where a unit of work runs and its failures are translated.
 *
 * <p>Units of work that are safe to repeat (reads, and writes whose second run changes nothing,
 * such as an insert of a client-assigned id with {@code ON CONFLICT DO NOTHING}) run through
 * {@link #retrying} or {@link #retryingTransaction}: a transient failure (a lost connection, a
 * server shutting down or starting, a serialisation failure) is retried with exponential backoff
 * and jitter, within one deadline per call: no attempt starts that the last one's duration says
 * would end past it. Everything else runs once and its failure surfaces at once. This is the
 * library's one retry layer; memory-core does not retry around it, since retries stacked in two
 * layers multiply their waits.
 *
 * <p>With {@link ReadReplicas} attached ({@link #withReadReplicas}), {@link #read} and
 * {@link #readTransaction} may run on a hot standby, and every other unit of work notes the
 * primary's WAL position when it is done, so that a read after it waits for a standby that has
 * replayed it or runs on the primary (see {@link ReadReplicas}).
 */
final class Database {

    /** Attempts of a retried unit of work by default: the first and two retries. */
    static final int DEFAULT_ATTEMPTS = 3;
    /** The wait before the first retry by default; doubled for each further one. */
    static final Duration DEFAULT_BACKOFF = Duration.ofMillis(200);
    /** The time a retried call may take in all, attempts and waits included, by default. */
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    private final DataSource dataSource;
    private final SqlSessionFactory sessions;
    private final int attempts;
    private final Duration backoff;
    private final Duration deadline;
    private final @Nullable ReadReplicas reads;

    private Database(DataSource dataSource, SqlSessionFactory sessions, int attempts, Duration backoff,
                     Duration deadline, @Nullable ReadReplicas reads) {
        this.dataSource = dataSource;
        this.sessions = sessions;
        this.attempts = attempts;
        this.backoff = backoff;
        this.deadline = deadline;
        this.reads = reads;
    }

    /**
     * @param replicas the standbys reads may go to
     * @return this database, with {@link #read} and {@link #readTransaction} routed through them
     *     and every other unit of work noting the WAL position it leaves
     */
    Database withReadReplicas(ReadReplicas replicas) {
        return new Database(dataSource, sessions, attempts, backoff, deadline, replicas);
    }

    /**
     * @param dataSource where connections come from; never closed here
     * @return MyBatis configured with agent-memory's mappers and type handlers, retrying safe
     *     units of work {@link #DEFAULT_ATTEMPTS} times
     */
    static Database on(DataSource dataSource) {
        return on(dataSource, DEFAULT_ATTEMPTS, DEFAULT_BACKOFF, DEFAULT_DEADLINE);
    }

    /**
     * @param dataSource where connections come from; never closed here
     * @param attempts attempts of a unit of work that is safe to repeat, 1 (no retry) to 20
     * @param backoff the wait before the first retry, doubled for each further one
     * @param deadline the time a retried call may take in all
     * @return MyBatis configured with agent-memory's mappers and type handlers
     */
    static Database on(DataSource dataSource, int attempts, Duration backoff, Duration deadline) {
        checkRetry(attempts, backoff);
        Configuration c = new Configuration(new Environment("agent-memory", new JdbcTransactionFactory(), dataSource));
        c.setMapUnderscoreToCamelCase(true);
        // Every read goes to the database: a session-level cache would hide other writers' changes
        // from the re-reads that optimistic concurrency depends on.
        c.setCacheEnabled(false);
        c.setLocalCacheScope(LocalCacheScope.STATEMENT);
        TypeHandlerRegistry types = c.getTypeHandlerRegistry();
        types.register(UUID.class, new UuidTypeHandler());
        types.register(Instant.class, new InstantTypeHandler());
        types.register(float[].class, new VectorTypeHandler());
        c.getTypeAliasRegistry().registerAlias("jsonb", JsonbTypeHandler.class);
        c.getTypeAliasRegistry().registerAlias("vector", VectorTypeHandler.class);
        c.getTypeAliasRegistry().registerAlias("uuidList", UuidListTypeHandler.class);
        c.getTypeAliasRegistry().registerAlias("EpisodeRow", EpisodeRow.class);
        c.getTypeAliasRegistry().registerAlias("StrategyRow", StrategyRow.class);
        c.getTypeAliasRegistry().registerAlias("SessionRow", SessionRow.class);
        c.addMapper(SchemaMapper.class);
        c.addMapper(EpisodeMapper.class);
        c.addMapper(KnowledgeMapper.class);
        c.addMapper(WorkingMemoryMapper.class);
        c.addMapper(MaintenanceMapper.class);
        c.addMapper(ReplicationMapper.class);
        c.addMapper(PartitionMapper.class);
        return new Database(dataSource, new SqlSessionFactoryBuilder().build(c), attempts, backoff, deadline, null);
    }

    DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs {@code work} with each statement committed on its own (auto-commit).
     *
     * @param operation what is being done, for error messages
     * @param work the work
     * @return its result
     */
    <T extends @Nullable Object> T autoCommit(String operation, Function<SqlSession, T> work) {
        return autoCommit(operation, work, true);
    }

    private <T extends @Nullable Object> T autoCommit(String operation, Function<SqlSession, T> work, boolean wrote) {
        try (SqlSession session = sessions.openSession(true)) {
            T result = work.apply(session);
            if (wrote) {
                notePosition(session);
            }
            return result;
        } catch (RuntimeException e) {
            throw SqlErrors.translate(operation, e);
        }
    }

    /**
     * Runs {@code work} in one transaction, committed when it returns and rolled back when it
     * throws.
     *
     * @param operation what is being done, for error messages
     * @param work the work
     * @return its result
     */
    <T extends @Nullable Object> T transaction(String operation, Function<SqlSession, T> work) {
        return transaction(operation, work, true);
    }

    private <T extends @Nullable Object> T transaction(String operation, Function<SqlSession, T> work, boolean wrote) {
        try (SqlSession session = sessions.openSession(false)) {
            T result = work.apply(session);
            session.commit(true);
            if (wrote) {
                notePosition(session);
            }
            return result;
        } catch (RuntimeException e) {
            // Closing the session without a commit rolls the transaction back.
            throw SqlErrors.translate(operation, e);
        }
    }

    /**
     * Runs {@code work} in one transaction on a batch session: each insert or update is queued on
     * its statement and sent to the server with the others of the same statement in one pipelined
     * round trip when {@code work} calls {@link SqlSession#flushStatements()} or returns; the
     * transaction is then committed. Updates return no row counts.
     *
     * @param operation what is being done, for error messages
     * @param work the work
     * @return its result
     */
    <T extends @Nullable Object> T batchTransaction(String operation, Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(ExecutorType.BATCH, false)) {
            T result = work.apply(session);
            session.flushStatements();
            session.commit(true);
            notePosition(session);
            return result;
        } catch (RuntimeException e) {
            throw SqlErrors.translate(operation, e);
        }
    }

    /**
     * Like {@link #batchTransaction}, retried on transient failures: only for work that is safe to
     * repeat.
     *
     * @param operation what is being done, for error messages
     * @param work the work
     * @return its result
     */
    <T extends @Nullable Object> T retryingBatchTransaction(String operation, Function<SqlSession, T> work) {
        return withRetries(operation, () -> batchTransaction(operation, work));
    }

    /**
     * Like {@link #autoCommit}, retried on transient failures: only for work that is safe to
     * repeat, because a failure can come after the database committed.
     *
     * @param operation what is being done, for error messages
     * @param work the work
     * @return its result
     */
    <T extends @Nullable Object> T retrying(String operation, Function<SqlSession, T> work) {
        return withRetries(operation, () -> autoCommit(operation, work));
    }

    /**
     * Like {@link #transaction}, retried on transient failures: only for work that is safe to
     * repeat.
     *
     * @param operation what is being done, for error messages
     * @param work the work
     * @return its result
     */
    <T extends @Nullable Object> T retryingTransaction(String operation, Function<SqlSession, T> work) {
        return withRetries(operation, () -> transaction(operation, work));
    }

    /**
     * A read, retried like {@link #retrying}: on a hot standby that has replayed every write these
     * stores made before it, else on the primary (see {@link ReadReplicas}); only on the primary
     * when no standby is configured.
     *
     * @param operation what is being done, for error messages
     * @param work the work; it must not write
     * @return its result
     */
    <T extends @Nullable Object> T read(String operation, Function<SqlSession, T> work) {
        return routedRead(operation, work, false);
    }

    /**
     * Like {@link #read}, in one transaction: for a read that needs settings of its own
     * ({@code SET LOCAL}), which a hot standby takes too.
     *
     * @param operation what is being done, for error messages
     * @param work the work; it must not write
     * @return its result
     */
    <T extends @Nullable Object> T readTransaction(String operation, Function<SqlSession, T> work) {
        return routedRead(operation, work, true);
    }

    private <T extends @Nullable Object> T routedRead(String operation, Function<SqlSession, T> work,
                                                      boolean inTransaction) {
        ReadReplicas replicas = reads;
        if (replicas == null) {
            return inTransaction ? retryingTransaction(operation, work) : retrying(operation, work);
        }
        // One retry layer and one deadline as for any unit of work: each attempt tries a standby
        // first (one that fails is dropped at once, so the next attempt does not meet it again)
        // and the primary when no standby may answer.
        return withRetries(operation, () -> {
            ReadReplicas.Answer<T> answer = replicas.read(operation, work, inTransaction);
            if (answer != null) {
                return answer.value();
            }
            return inTransaction ? transaction(operation, work, false) : autoCommit(operation, work, false);
        });
    }

    // After a unit of work that may have written: where the primary's WAL stands now is past its
    // commit, and reads wait for a standby that has replayed that far.
    private void notePosition(SqlSession session) {
        ReadReplicas replicas = reads;
        if (replicas == null) {
            return;
        }
        long position;
        try {
            position = session.getMapper(ReplicationMapper.class).insertPosition();
        } catch (RuntimeException e) {
            // The work is done and committed: failing it now would make the caller repeat it. The
            // position is unknown instead, and reads go to the primary for a while.
            replicas.positionUnknown(e);
            return;
        }
        replicas.wrote(position);
    }

    /**
     * @param attempts attempts of a unit of work that is safe to repeat
     * @param backoff the wait before the first retry
     * @throws InvalidInputException when either is out of range
     */
    static void checkRetry(int attempts, Duration backoff) {
        if (attempts < 1 || attempts > 20) {
            throw new InvalidInputException("retry.attempts", attempts + " is outside 1 to 20");
        }
        if (backoff == null || backoff.isNegative() || backoff.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidInputException("retry.backoff", backoff + " is outside 0 to 1 minute");
        }
    }

    /** @return attempts of a unit of work that is safe to repeat */
    int attempts() {
        return attempts;
    }

    private <T extends @Nullable Object> T withRetries(String operation, java.util.function.Supplier<T> once) {
        long wait = backoff.toMillis();
        long start = System.nanoTime();
        long end = start + deadline.toNanos();
        for (int attempt = 1; ; attempt++) {
            long attemptStart = System.nanoTime();
            try {
                return once.get();
            } catch (MemoryException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                long now = System.nanoTime();
                // Jitter keeps many writers that lost their connections at the same moment from
                // coming back at the same moment too.
                long sleep = wait / 2 + ThreadLocalRandom.current().nextLong(wait / 2 + 1);
                long expectedEnd = now + sleep * 1_000_000L + (now - attemptStart);
                if (attempt >= attempts || expectedEnd > end) {
                    long tookMs = (now - start) / 1_000_000L;
                    throw new TransientMemoryException(operation + " failed after " + attempt + " attempt"
                            + (attempt == 1 ? "" : "s") + " in " + tookMs + " ms (deadline " + deadline.toMillis()
                            + " ms, at most " + attempts + " attempts): " + e.getMessage(), e);
                }
                LOG.warn("{} failed (attempt {} of {}), retrying in {} ms: {}", operation, attempt, attempts, sleep,
                        e.getMessage());
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                wait = Math.min(wait * 2, 10_000);
            }
        }
    }

    /** @return the time a retried call may take in all */
    Duration deadline() {
        return deadline;
    }
}
