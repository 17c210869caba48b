package dev.agentmemory.postgres;

import dev.agentmemory.api.Checks;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Redaction;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The settings of the {@code "postgres"} backend, typed and checked. {@link #builder()} builds
 * them in code; {@link #fromProperties} parses the string properties of a
 * {@link dev.agentmemory.api.spi.StoreConfig} (environment, command line) into them and refuses a
 * key it does not know, by name: a misspelt {@code pgbouncr=true} fails instead of being ignored.
 * {@link #toString()} masks {@code sslpassword} and any password in the migration URL.
 *
 * @param poolSize connections of the pool the provider opens; {@code pool.size}, 10
 * @param pgbouncer the JDBC URL points at pgbouncer in transaction mode, so the pool uses no
 *     server-side prepared statements; {@code pgbouncer}, false
 * @param migrationJdbcUrl the direct URL migrations use instead of the pool;
 *     {@code migration.jdbc-url}, none. Required with {@code pgbouncer} when migrating: Flyway's
 *     advisory lock and session settings do not survive transaction pooling
 * @param confidenceFloor below this a strategy applied often enough is deactivated;
 *     {@code knowledge.confidence-floor}, 0.2
 * @param minApplications applications before the floor applies; {@code knowledge.min-applications}, 5
 * @param exactScanMax the most candidates a search reads exactly; 0 always walks the HNSW index;
 *     {@code search.exact-scan-max}, 5000
 * @param retryAttempts attempts of an operation that is safe to repeat, 1 to 20;
 *     {@code retry.attempts}, 3
 * @param retryBackoff the wait before the first retry, doubled for each further one;
 *     {@code retry.backoff}, 200ms
 * @param retryDeadline the time one call may take in all, retries and waits included, before it
 *     throws a {@code TransientMemoryException}; {@code retry.deadline}, 5s
 * @param connectionTimeout how long one attempt waits for a connection from the pool the
 *     provider opens (at least 500 ms); {@code pool.connection-timeout}, 2s
 * @param keepaliveTime how often idle pooled connections are checked; 0 or at least 30 s;
 *     {@code pool.keepalive-time}, 60s
 * @param driverProperties what goes to the JDBC driver as it is: every {@code ssl*} key, and
 *     {@code jdbc.NAME} as {@code NAME}
 * @param readReplicas hot standbys that answer reads, and their bounds; the {@code read.*} keys
 *     ({@link ReadReplicaOptions}), none by default
 * @param partitions hash partitions of agent_episodes by project made when the schema is migrated, 0 to
 *     {@value PostgresPartitioning#MAX_PARTITIONS}; 0 keeps one table (and leaves a partitioned one
 *     as it is); {@code schema.partitions}, 0 (see {@link PostgresPartitioning})
 */
public record PostgresStoreOptions(
        int poolSize,
        boolean pgbouncer,
        @Nullable String migrationJdbcUrl,
        double confidenceFloor,
        int minApplications,
        int exactScanMax,
        int retryAttempts,
        Duration retryBackoff,
        Duration retryDeadline,
        Duration connectionTimeout,
        Duration keepaliveTime,
        Map<String, String> driverProperties,
        ReadReplicaOptions readReplicas,
        int partitions) {

    static final String POOL_SIZE = "pool.size";
    static final String PGBOUNCER = "pgbouncer";
    static final String MIGRATION_JDBC_URL = "migration.jdbc-url";
    static final String CONFIDENCE_FLOOR = "knowledge.confidence-floor";
    static final String MIN_APPLICATIONS = "knowledge.min-applications";
    static final String EXACT_SCAN_MAX = "search.exact-scan-max";
    static final String RETRY_ATTEMPTS = "retry.attempts";
    static final String RETRY_BACKOFF = "retry.backoff";
    static final String RETRY_DEADLINE = "retry.deadline";
    static final String CONNECTION_TIMEOUT = "pool.connection-timeout";
    static final String KEEPALIVE_TIME = "pool.keepalive-time";
    static final String JDBC_PREFIX = "jdbc.";
    static final String SCHEMA_PARTITIONS = "schema.partitions";

    private static final Set<String> KEYS = Set.of(POOL_SIZE, PGBOUNCER, MIGRATION_JDBC_URL, CONFIDENCE_FLOOR,
            MIN_APPLICATIONS, EXACT_SCAN_MAX, RETRY_ATTEMPTS, RETRY_BACKOFF, RETRY_DEADLINE, CONNECTION_TIMEOUT,
            KEEPALIVE_TIME, SCHEMA_PARTITIONS);
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

    /** Checks every value. */
    public PostgresStoreOptions {
        if (poolSize < 1 || poolSize > 1000) {
            throw new InvalidInputException(POOL_SIZE, poolSize + " is outside 1 to 1000");
        }
        if (migrationJdbcUrl != null && !migrationJdbcUrl.startsWith("jdbc:")) {
            throw new InvalidInputException(MIGRATION_JDBC_URL, "'" + Redaction.redact(migrationJdbcUrl)
                    + "' does not start with jdbc:");
        }
        Checks.unitInterval(CONFIDENCE_FLOOR, confidenceFloor);
        if (minApplications < 1) {
            throw new InvalidInputException(MIN_APPLICATIONS, minApplications + " must be at least 1");
        }
        if (exactScanMax < 0) {
            throw new InvalidInputException(EXACT_SCAN_MAX, exactScanMax + " is negative");
        }
        Database.checkRetry(retryAttempts, retryBackoff);
        if (retryDeadline == null || retryDeadline.isNegative() || retryDeadline.isZero()
                || retryDeadline.compareTo(Duration.ofMinutes(10)) > 0) {
            throw new InvalidInputException(RETRY_DEADLINE, retryDeadline + " is outside (0, 10 minutes]");
        }
        if (connectionTimeout == null || connectionTimeout.toMillis() < 500) {
            // HikariCP would quietly replace a value below 250 ms with its 30 s default, and the
            // validation timeout (half of this) has the same floor.
            throw new InvalidInputException(CONNECTION_TIMEOUT, connectionTimeout + " is below 500 ms");
        }
        if (keepaliveTime == null || keepaliveTime.isNegative()
                || (!keepaliveTime.isZero() && keepaliveTime.toMillis() < 30_000)) {
            throw new InvalidInputException(KEEPALIVE_TIME, keepaliveTime
                    + " is below HikariCP's minimum of 30 s (0 turns it off)");
        }
        PostgresPartitioning.checkPartitions(SCHEMA_PARTITIONS, partitions);
        driverProperties = Collections.unmodifiableMap(new LinkedHashMap<>(Checks.required("driverProperties",
                driverProperties)));
        Checks.required("readReplicas", readReplicas);
    }

    /** @return the defaults */
    public static PostgresStoreOptions ofDefaults() {
        return builder().build();
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param base options to start from
     * @return a builder holding them
     */
    public static Builder from(PostgresStoreOptions base) {
        Builder b = new Builder();
        b.poolSize = base.poolSize;
        b.pgbouncer = base.pgbouncer;
        b.migrationJdbcUrl = base.migrationJdbcUrl;
        b.confidenceFloor = base.confidenceFloor;
        b.minApplications = base.minApplications;
        b.exactScanMax = base.exactScanMax;
        b.retryAttempts = base.retryAttempts;
        b.retryBackoff = base.retryBackoff;
        b.retryDeadline = base.retryDeadline;
        b.connectionTimeout = base.connectionTimeout;
        b.keepaliveTime = base.keepaliveTime;
        b.driverProperties.putAll(base.driverProperties);
        b.readJdbcUrls = base.readReplicas.jdbcUrls();
        b.readMaxLag = base.readReplicas.maxLag();
        b.readCheckInterval = base.readReplicas.checkInterval();
        b.readConsistency = base.readReplicas.consistency();
        b.partitions = base.partitions;
        return b;
    }

    /**
     * @param properties string settings
     * @return the options they say, the defaults for the rest
     * @throws InvalidInputException for a key this backend does not know (named, with the keys it
     *     knows), or a value that is not what the key needs
     */
    public static PostgresStoreOptions fromProperties(Map<String, String> properties) {
        Builder b = builder();
        for (Map.Entry<String, String> e : Checks.required("properties", properties).entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            if (key.toLowerCase(Locale.ROOT).startsWith("ssl")) {
                b.driverProperty(key, value);
                continue;
            }
            if (key.startsWith(JDBC_PREFIX) && key.length() > JDBC_PREFIX.length()) {
                b.driverProperty(key.substring(JDBC_PREFIX.length()), value);
                continue;
            }
            if (key.startsWith(ReadReplicaOptions.PREFIX)) {
                ReadReplicaOptions.parse(b, key, value);
                continue;
            }
            switch (key) {
                case POOL_SIZE -> b.poolSize(parseInt(key, value));
                case PGBOUNCER -> b.pgbouncer(parseBoolean(key, value));
                case MIGRATION_JDBC_URL -> b.migrationJdbcUrl(value);
                case CONFIDENCE_FLOOR -> b.confidenceFloor(parseDouble(key, value));
                case MIN_APPLICATIONS -> b.minApplications(parseInt(key, value));
                case EXACT_SCAN_MAX -> b.exactScanMax(parseInt(key, value));
                case RETRY_ATTEMPTS -> b.retryAttempts(parseInt(key, value));
                case RETRY_BACKOFF -> b.retryBackoff(parseDuration(key, value));
                case RETRY_DEADLINE -> b.retryDeadline(parseDuration(key, value));
                case CONNECTION_TIMEOUT -> b.connectionTimeout(parseDuration(key, value));
                case KEEPALIVE_TIME -> b.keepaliveTime(parseDuration(key, value));
                case SCHEMA_PARTITIONS -> b.partitions(parseInt(key, value));
                default -> throw new InvalidInputException(key, "is not a setting of the postgres store; it knows "
                        + new TreeSet<>(KEYS) + ", " + new TreeSet<>(ReadReplicaOptions.KEYS) + ", ssl* and jdbc.NAME");
            }
        }
        return b.build();
    }

    /**
     * Checks what depends on how the store is opened.
     *
     * @param migrate whether migrations run on opening
     * @throws ConfigurationException for pgbouncer with migrations and no direct migration URL
     */
    void checkFor(boolean migrate) {
        if (pgbouncer && migrate && migrationJdbcUrl == null) {
            throw new ConfigurationException("pgbouncer=true with migrate on needs " + MIGRATION_JDBC_URL
                    + ": Flyway holds an advisory lock and session settings for the whole migration, which"
                    + " pgbouncer's transaction pooling does not keep; set it to the server's direct address,"
                    + " or open with migrate off");
        }
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        driverProperties.forEach((k, v) -> shown.put(k, Redaction.redact(k + "=" + v).substring(k.length() + 1)));
        return "PostgresStoreOptions{poolSize=" + poolSize + ", pgbouncer=" + pgbouncer + ", migrationJdbcUrl="
                + (migrationJdbcUrl == null ? null : Redaction.redact(migrationJdbcUrl)) + ", confidenceFloor=" + confidenceFloor + ", minApplications="
                + minApplications + ", exactScanMax=" + exactScanMax + ", retryAttempts=" + retryAttempts
                + ", retryBackoff=" + retryBackoff + ", retryDeadline=" + retryDeadline + ", connectionTimeout="
                + connectionTimeout + ", keepaliveTime=" + keepaliveTime + ", driverProperties=" + shown + ", readReplicas="
                + readReplicas + ", partitions=" + partitions + "}";
    }

    private static int parseInt(String key, String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, "'" + v + "' is not a whole number");
        }
    }

    private static double parseDouble(String key, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, "'" + v + "' is not a number");
        }
    }

    private static boolean parseBoolean(String key, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException(key, "'" + v + "' is neither true nor false");
        };
    }

    /**
     * @param key the property, for the message
     * @param value {@code 200ms}, {@code 10s}, {@code 1m} or ISO-8601 ({@code PT0.2S})
     * @return the duration
     */
    static Duration parseDuration(String key, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            Matcher m = SIMPLE_DURATION.matcher(v);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                d = switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    default -> Duration.ofMinutes(n);
                };
            } else {
                d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            }
        } catch (java.time.format.DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw new InvalidInputException(key, "'" + value + "' is not a duration such as 200ms, 10s or PT10S");
        }
        if (d.isNegative()) {
            throw new InvalidInputException(key, "'" + value + "' is negative");
        }
        return d;
    }

    /** Builds {@link PostgresStoreOptions}; {@link #build()} checks every value. */
    public static final class Builder {
        private int poolSize = 10;
        private boolean pgbouncer;
        private @Nullable String migrationJdbcUrl;
        private double confidenceFloor = PostgresKnowledgeStore.DEFAULT_CONFIDENCE_FLOOR;
        private int minApplications = PostgresKnowledgeStore.DEFAULT_MIN_APPLICATIONS;
        private int exactScanMax = PostgresAgentMemoryStore.DEFAULT_EXACT_SCAN_MAX;
        private int retryAttempts = Database.DEFAULT_ATTEMPTS;
        private Duration retryBackoff = Database.DEFAULT_BACKOFF;
        private Duration retryDeadline = Database.DEFAULT_DEADLINE;
        private Duration connectionTimeout = Duration.ofSeconds(2);
        private Duration keepaliveTime = Duration.ofSeconds(60);
        private final Map<String, String> driverProperties = new LinkedHashMap<>();
        private List<String> readJdbcUrls = List.of();
        private Duration readMaxLag = ReadReplicaOptions.DEFAULT_MAX_LAG;
        private Duration readCheckInterval = ReadReplicaOptions.DEFAULT_CHECK_INTERVAL;
        private ReadReplicaOptions.Consistency readConsistency = ReadReplicaOptions.Consistency.STORES;
        private int partitions;

        private Builder() {
        }

        public Builder poolSize(int v) { poolSize = v; return this; }
        public Builder pgbouncer(boolean v) { pgbouncer = v; return this; }
        public Builder migrationJdbcUrl(@Nullable String v) { migrationJdbcUrl = v; return this; }
        public Builder confidenceFloor(double v) { confidenceFloor = v; return this; }
        public Builder minApplications(int v) { minApplications = v; return this; }
        public Builder exactScanMax(int v) { exactScanMax = v; return this; }
        public Builder retryAttempts(int v) { retryAttempts = v; return this; }
        public Builder retryBackoff(Duration v) { retryBackoff = v; return this; }
        public Builder retryDeadline(Duration v) { retryDeadline = v; return this; }
        public Builder connectionTimeout(Duration v) { connectionTimeout = v; return this; }
        public Builder keepaliveTime(Duration v) { keepaliveTime = v; return this; }
        /** @param v the JDBC URLs of hot standbys that answer reads; empty for none */
        public Builder readJdbcUrls(List<String> v) { readJdbcUrls = Checks.required("readJdbcUrls", v); return this; }
        public Builder readMaxLag(Duration v) { readMaxLag = v; return this; }
        public Builder readCheckInterval(Duration v) { readCheckInterval = v; return this; }
        public Builder readConsistency(ReadReplicaOptions.Consistency v) { readConsistency = v; return this; }
        public Builder partitions(int v) { partitions = v; return this; }
        public Builder driverProperty(String key, String value) {
            driverProperties.put(Checks.required("key", key), Checks.required("value", value));
            return this;
        }

        /**
         * @return the options
         * @throws InvalidInputException naming the first value out of range
         */
        public PostgresStoreOptions build() {
            return new PostgresStoreOptions(poolSize, pgbouncer, migrationJdbcUrl, confidenceFloor, minApplications,
                    exactScanMax, retryAttempts, retryBackoff, retryDeadline, connectionTimeout, keepaliveTime,
                    driverProperties, new ReadReplicaOptions(readJdbcUrls, readMaxLag, readCheckInterval,
                    readConsistency), partitions);
        }
    }
}
