package dev.agentmemory.postgres;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Redaction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the {@code "postgres"} backend sends its reads besides the primary: hot standbys of the
 * primary, and the bounds within which one may answer. Part of {@link PostgresStoreOptions}
 * ({@link PostgresStoreOptions#readReplicas()}); the {@code read.*} properties parse into it.
 *
 * <p>With no URL (the default) every read goes to the primary, as before. Each URL gets a pool of
 * {@code pool.size} connections with the store's user, password and driver properties (a streaming
 * standby has the primary's roles). A URL that leads to pgbouncer needs {@code prepareThreshold=0}
 * in it: the {@code pgbouncer} setting is the primary's.
 *
 * @param jdbcUrls the standbys' JDBC URLs; {@code read.jdbc-url}, one or more separated by spaces
 *     or {@code ;}, none by default
 * @param maxLag a standby whose replay is further behind the primary than this is dropped from
 *     reads until it catches up to half of it; {@code read.max-lag}, 5s
 * @param checkInterval how often one background thread checks every standby (alive, still a
 *     standby, how far behind); {@code read.check-interval}, 250ms
 * @param consistency whose writes a read on a standby must see; {@code read.consistency},
 *     {@code stores}
 */
public record ReadReplicaOptions(List<String> jdbcUrls, Duration maxLag, Duration checkInterval,
                                 Consistency consistency) {

    /** Whose writes a read on a standby waits for: else the primary answers it. */
    public enum Consistency {
        /**
         * Every write the stores opened together made before the read began, from any thread: a
         * caller that hands an id to another thread, or a server whose requests land on any thread,
         * reads its writes. Under a steady write load through the same stores, reads go to the
         * primary whenever the standby has not replayed the latest write yet.
         */
        STORES,
        /**
         * Only the writes of the reading thread: more reads on the standby under a write load, for
         * callers that read their writes on the thread that made them. Another thread's writes show
         * within the standby's lag.
         */
        THREAD
    }

    static final String JDBC_URL = "read.jdbc-url";
    static final String MAX_LAG = "read.max-lag";
    static final String CHECK_INTERVAL = "read.check-interval";
    static final String CONSISTENCY = "read.consistency";
    static final String PREFIX = "read.";
    static final Set<String> KEYS = Set.of(JDBC_URL, MAX_LAG, CHECK_INTERVAL, CONSISTENCY);

    static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(5);
    static final Duration DEFAULT_CHECK_INTERVAL = Duration.ofMillis(250);

    /** Checks every value. */
    public ReadReplicaOptions {
        if (jdbcUrls == null) {
            throw new InvalidInputException(JDBC_URL, "is required (an empty list for none)");
        }
        for (String url : jdbcUrls) {
            if (url == null || !url.startsWith("jdbc:postgresql:")) {
                throw new InvalidInputException(JDBC_URL, "'" + (url == null ? null : Redaction.redact(url))
                        + "' does not start with jdbc:postgresql:");
            }
        }
        jdbcUrls = List.copyOf(jdbcUrls);
        if (checkInterval == null || checkInterval.toMillis() < 10 || checkInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new InvalidInputException(CHECK_INTERVAL, checkInterval + " is outside 10 ms to 1 minute");
        }
        // The lag is known to within one check: a bound below two checks would drop a standby
        // that is merely between them.
        if (maxLag == null || maxLag.compareTo(checkInterval.multipliedBy(2)) < 0
                || maxLag.compareTo(Duration.ofHours(1)) > 0) {
            throw new InvalidInputException(MAX_LAG, maxLag + " is outside twice " + CHECK_INTERVAL + " ("
                    + checkInterval.multipliedBy(2) + ") to 1 hour");
        }
        if (consistency == null) {
            throw new InvalidInputException(CONSISTENCY, "is required: stores or thread");
        }
    }

    /** @return no standby: every read on the primary */
    public static ReadReplicaOptions none() {
        return new ReadReplicaOptions(List.of(), DEFAULT_MAX_LAG, DEFAULT_CHECK_INTERVAL, Consistency.STORES);
    }

    /** @return whether any standby is configured */
    public boolean enabled() {
        return !jdbcUrls.isEmpty();
    }

    /**
     * @param value one or more JDBC URLs separated by spaces or {@code ;}
     * @return them, in order
     */
    static List<String> splitUrls(String value) {
        List<String> urls = new ArrayList<>();
        for (String part : value.trim().split("[;\\s]+")) {
            if (!part.isEmpty()) {
                urls.add(part);
            }
        }
        return urls;
    }

    /**
     * Parses one {@code read.*} property into the builder.
     *
     * @param b where it goes
     * @param key the property
     * @param value its value, trimmed
     * @throws InvalidInputException for a {@code read.*} key that is not known
     */
    static void parse(PostgresStoreOptions.Builder b, String key, String value) {
        switch (key) {
            case JDBC_URL -> b.readJdbcUrls(splitUrls(value));
            case MAX_LAG -> b.readMaxLag(PostgresStoreOptions.parseDuration(key, value));
            case CHECK_INTERVAL -> b.readCheckInterval(PostgresStoreOptions.parseDuration(key, value));
            case CONSISTENCY -> b.readConsistency(switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "stores" -> Consistency.STORES;
                case "thread" -> Consistency.THREAD;
                default -> throw new InvalidInputException(key, "'" + value + "' is neither stores nor thread");
            });
            default -> throw new InvalidInputException(key, "is not a setting of the postgres store's reads; it knows "
                    + new TreeSet<>(KEYS));
        }
    }

    @Override
    public String toString() {
        return "ReadReplicaOptions{jdbcUrls=" + jdbcUrls.stream().map(Redaction::redact).toList() + ", maxLag="
                + maxLag + ", checkInterval=" + checkInterval + ", consistency=" + consistency + "}";
    }
}
