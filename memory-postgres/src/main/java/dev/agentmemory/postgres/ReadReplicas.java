package dev.agentmemory.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Redaction;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.apache.ibatis.session.SqlSession;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads on hot standbys: a pool for each standby beside the primary's, the choice of the standby
 * that answers a read, and the one background thread that checks them all.
 *
 * <p><b>Read-your-writes.</b> After each unit of work that may have written, {@link Database}
 * reads the primary's WAL insert position, which is past the commit's record, and gives it to
 * {@link #wrote}; the stores opened together keep the highest such position. A read may run on a
 * standby only once it has replayed that far: the read asks the standby where its replay stands
 * ({@code pg_last_wal_replay_lsn()}) on the connection it then reads on, so its snapshot, taken
 * after, sees every write these stores committed before the read began, from whatever thread
 * (with {@link ReadReplicaOptions.Consistency#THREAD}, every write of the reading thread). A
 * standby that is not that far yet leaves the read to the primary; nobody waits. The position is
 * asked on every read rather than remembered from the checks, because a standby that restarts
 * comes back from its last restartpoint, behind where it stood before. Writes of other processes
 * are seen once the standby replays them, within {@link ReadReplicaOptions#maxLag()}.
 *
 * <p><b>Health.</b> Every {@link ReadReplicaOptions#checkInterval()} the checker notes the
 * primary's write position and asks each standby whether it is alive, still in recovery, and how
 * far it has replayed. A standby's lag is the age of the oldest noted primary position it has not
 * replayed (0 when it has replayed them all, so an idle primary makes no lag). A standby that does
 * not answer, is no longer in recovery, or lags past {@code maxLag} is dropped from reads; it comes
 * back when it answers and lags at most half of {@code maxLag} (so one near the bound does not
 * flap). A read that fails on a standby drops it at once and runs on the primary; only the checker
 * brings it back. Each drop and each return is logged once.
 */
final class ReadReplicas implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReadReplicas.class);
    /**
     * A read's wait for a standby's connection: short, since the primary can answer instead. 500 ms
     * is above HikariCP's floor of 250 ms, below which it would silently use 30 s.
     */
    private static final long STANDBY_CONNECTION_TIMEOUT_MS = 500;

    /** A read's answer from a standby; its value may be null. */
    record Answer<T extends @Nullable Object>(T value) {
    }

    private final List<Standby> standbys;
    private final Database primary;
    private final ReadReplicaOptions options;
    private final ScheduledExecutorService checker;
    private final AtomicLong lastWrite = new AtomicLong();
    /** The last write's position of each thread, for {@link ReadReplicaOptions.Consistency#THREAD}. */
    private final ThreadLocal<long[]> threadLastWrite = ThreadLocal.withInitial(() -> new long[1]);
    private final AtomicInteger next = new AtomicInteger();
    private final LongAdder standbyReads = new LongAdder();
    private final LongAdder primaryReads = new LongAdder();
    /** Until when (System.nanoTime) reads stay on the primary since a write's position is unknown. */
    private volatile long primaryOnlyUntil;
    private volatile boolean primaryOnlyArmed;
    /** The primary's write positions as the checker noted them, oldest first: time, position. */
    private final Deque<long[]> primaryPositions = new ArrayDeque<>();

    private ReadReplicas(List<Standby> standbys, Database primary, ReadReplicaOptions options) {
        this.standbys = standbys;
        this.primary = primary;
        this.options = options;
        this.checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "agent-memory-read-replicas");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Opens a pool on each standby, checks each once (so the first reads know which may answer)
     * and starts the checker.
     *
     * @param options the standbys and bounds; at least one URL
     * @param poolConfig the primary pool's settings for a URL (credentials, sizes, driver properties)
     * @param primary the primary, untracked: where the checker reads the WAL position
     * @return the standbys, checked once
     */
    static ReadReplicas open(ReadReplicaOptions options, Function<String, HikariConfig> poolConfig, Database primary) {
        List<Standby> standbys = new ArrayList<>();
        try {
            int i = 0;
            for (String url : options.jdbcUrls()) {
                HikariConfig hikari = poolConfig.apply(url);
                hikari.setPoolName("agent-memory-read-" + i++);
                hikari.setConnectionTimeout(Math.min(hikari.getConnectionTimeout(), STANDBY_CONNECTION_TIMEOUT_MS));
                hikari.setValidationTimeout(Math.min(hikari.getValidationTimeout(), 250));
                // A standby that is down when the stores open is only dropped from reads, as one
                // that goes down later is: the stores open on the primary alone.
                hikari.setInitializationFailTimeout(-1);
                HikariDataSource pool = new HikariDataSource(hikari);
                standbys.add(new Standby(Redaction.redact(url), pool, Database.on(pool, 1, Duration.ZERO,
                        Duration.ofMillis(STANDBY_CONNECTION_TIMEOUT_MS))));
            }
        } catch (RuntimeException e) {
            standbys.forEach(s -> s.pool.close());
            throw SqlErrors.translate("opening the read replicas' pools", e);
        }
        ReadReplicas replicas = new ReadReplicas(List.copyOf(standbys), primary, options);
        replicas.check();
        long every = options.checkInterval().toMillis();
        replicas.checker.scheduleWithFixedDelay(replicas::checkQuietly, every, every, TimeUnit.MILLISECONDS);
        return replicas;
    }

    /**
     * Runs a read on a standby that has replayed every write noted so far, when one is healthy.
     *
     * @param operation what is being done, for the log
     * @param work the read
     * @param inTransaction whether it needs a transaction of its own
     * @return its answer, or null when no standby could answer and the primary is to
     */
    <T extends @Nullable Object> @Nullable Answer<T> read(String operation, Function<SqlSession, T> work,
                                                         boolean inTransaction) {
        long needed = options.consistency() == ReadReplicaOptions.Consistency.THREAD ? threadLastWrite.get()[0]
                : lastWrite.get();
        if (primaryOnlyArmed) {
            if (System.nanoTime() - primaryOnlyUntil < 0) {
                primaryReads.increment();
                return null;
            }
            primaryOnlyArmed = false;
        }
        Standby standby = pick();
        if (standby == null) {
            primaryReads.increment();
            return null;
        }
        Function<SqlSession, @Nullable Answer<T>> checked = s -> {
            if (needed > 0) {
                Long replayed = s.getMapper(ReplicationMapper.class).replayPosition();
                if (replayed == null || replayed < needed) {
                    return null;
                }
            }
            return new Answer<>(work.apply(s));
        };
        Answer<T> answer;
        try {
            answer = inTransaction ? standby.db.transaction(operation, checked) : standby.db.autoCommit(operation, checked);
        } catch (RuntimeException e) {
            drop(standby, operation + " failed on it: " + e.getMessage());
            primaryReads.increment();
            return null;
        }
        if (answer == null) {
            primaryReads.increment();
        } else {
            standbyReads.increment();
        }
        return answer;
    }

    /** @param position the primary's WAL insert position after a unit of work that may have written */
    void wrote(long position) {
        lastWrite.accumulateAndGet(position, Math::max);
        long[] mine = threadLastWrite.get();
        mine[0] = Math.max(mine[0], position);
    }

    /**
     * After a write whose position could not be read: reads stay on the primary until a healthy
     * standby has had the time to replay it (its lag is below the bound, known within one check).
     */
    void positionUnknown(RuntimeException e) {
        LOG.warn("Could not read the WAL position after a write ({}); reads go to the primary for {}",
                e.getMessage(), options.maxLag().plus(options.checkInterval().multipliedBy(2)));
        primaryOnlyUntil = System.nanoTime() + options.maxLag().plus(options.checkInterval().multipliedBy(2)).toNanos();
        primaryOnlyArmed = true;
    }

    /** @return the reads so far and the standbys that may answer now */
    ReadReplicaStats stats() {
        int healthy = 0;
        Duration worst = Duration.ZERO;
        for (Standby s : standbys) {
            if (s.state == State.IN) {
                healthy++;
            }
            if (s.lag.compareTo(worst) > 0) {
                worst = s.lag;
            }
        }
        return new ReadReplicaStats(standbyReads.sum(), primaryReads.sum(), healthy, standbys.size(), worst);
    }

    /** @return the standbys, for {@code describe()} */
    String describe() {
        return "reads on " + standbys.size() + " standby" + (standbys.size() == 1 ? "" : "s") + " "
                + standbys.stream().map(s -> s.name).toList() + " within " + options.maxLag() + " of lag";
    }

    private @Nullable Standby pick() {
        int n = standbys.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Standby s = standbys.get((start + i) % n);
            if (s.state == State.IN) {
                return s;
            }
        }
        return null;
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            // The checker must keep running: a failure here only delays the next verdicts.
            LOG.warn("Checking the read replicas failed: {}", e.getMessage());
        }
    }

    // One pass of the checker; the only place a standby comes back.
    private synchronized void check() {
        long now = System.nanoTime();
        boolean primaryKnown;
        try {
            long position = primary.autoCommit("reading the primary's WAL position",
                    s -> s.getMapper(ReplicationMapper.class).writePosition());
            primaryPositions.addLast(new long[] {now, position});
            primaryKnown = true;
        } catch (RuntimeException e) {
            // Without the primary's position the lag is unknown: keep the verdicts on lag as they
            // are, and still drop standbys that do not answer.
            primaryKnown = false;
        }
        long keep = options.maxLag().multipliedBy(2).plus(options.checkInterval()).toNanos();
        while (primaryPositions.size() > 1 && now - primaryPositions.peekFirst()[0] > keep) {
            primaryPositions.removeFirst();
        }
        for (Standby standby : standbys) {
            Long replayed;
            try {
                replayed = standby.db.autoCommit("checking the read replica",
                        s -> s.getMapper(ReplicationMapper.class).replayPosition());
            } catch (RuntimeException e) {
                drop(standby, "it does not answer: " + e.getMessage());
                continue;
            }
            if (replayed == null) {
                drop(standby, "it is not in recovery (promoted, or not a standby): its data may have parted from the primary's");
                continue;
            }
            if (!primaryKnown) {
                continue;
            }
            Duration lag = lag(replayed, now);
            standby.lag = lag;
            if (lag.compareTo(options.maxLag()) > 0) {
                drop(standby, "it lags " + lag.toMillis() + " ms behind the primary, more than " + options.maxLag());
            } else if (standby.state != State.IN && lag.compareTo(options.maxLag().dividedBy(2)) <= 0) {
                LOG.info("Read replica {} {} reads (lag {} ms)", standby.name,
                        standby.state == State.OUT ? "is back in" : "takes", lag.toMillis());
                standby.state = State.IN;
            } else if (standby.state == State.UNKNOWN) {
                drop(standby, "it lags " + lag.toMillis() + " ms, more than half of " + options.maxLag());
            }
        }
    }

    // The age of the oldest noted primary position the standby has not replayed.
    private Duration lag(long replayed, long now) {
        for (long[] p : primaryPositions) {
            if (p[1] > replayed) {
                return Duration.ofNanos(now - p[0]);
            }
        }
        return Duration.ZERO;
    }

    private void drop(Standby standby, String why) {
        synchronized (standby) {
            if (standby.state != State.OUT) {
                standby.state = State.OUT;
                LOG.warn("Read replica {} dropped from reads until it recovers; reads go to the primary: {}",
                        standby.name, why);
                // Its pooled connections may be dead; new ones are made when it is back.
                standby.pool.getHikariPoolMXBean().softEvictConnections();
            }
        }
    }

    @Override
    public void close() {
        LOG.info("Closing the read replicas after {} reads on standbys and {} on the primary", standbyReads.sum(),
                primaryReads.sum());
        checker.shutdownNow();
        try {
            checker.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        standbys.forEach(s -> s.pool.close());
    }

    /** Whether a standby answers reads; only IN does. */
    private enum State { UNKNOWN, IN, OUT }

    private static final class Standby {
        final String name;
        final HikariDataSource pool;
        final Database db;
        /** The first check, at opening, lets it in or keeps it out. */
        volatile State state = State.UNKNOWN;
        volatile Duration lag = Duration.ZERO;

        Standby(String name, HikariDataSource pool, Database db) {
            this.name = name;
            this.pool = pool;
            this.db = db;
        }
    }
}
