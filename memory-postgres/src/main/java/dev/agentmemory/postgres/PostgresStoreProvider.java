package dev.agentmemory.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.Redaction;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.spi.DimensionChange;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreProvider;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code "postgres"} backend: PostgreSQL with pgvector, through MyBatis.
 *
 * <p>Connections come from {@link StoreConfig#dataSource()} when one is given: the stores use it
 * and never close it. Otherwise the provider opens a HikariCP pool on {@link StoreConfig#jdbcUrl()},
 * {@link StoreConfig#username()} and {@link StoreConfig#password()}, and {@link MemoryStores#close()}
 * closes that pool. With {@link StoreConfig#migrate()} the schema is created or upgraded first
 * (see {@link PostgresSchema}); either way the stores refuse a schema created for another vector
 * size.
 *
 * <p>The opened stores offer {@link StoreMaintenance} (export, counts per project, the schema
 * version, dropping every vector for a new model), and the provider changes the vector size of an
 * existing schema ({@link DimensionChange}, see {@link PostgresSchema#changeDimensions}).
 *
 * <p>Properties read from {@link StoreConfig#properties()}:
 * <ul>
 *   <li>{@value #POOL_SIZE}: the size of the pool the provider opens; default 10.</li>
 *   <li>{@value #PGBOUNCER}: {@code true} when the JDBC URL points at pgbouncer in transaction
 *       pooling mode. pgbouncer (1.18 and older) hands each transaction to whichever server
 *       connection is free, so a server-side prepared statement made in one transaction is missing
 *       in the next; the pool's connections then get {@code prepareThreshold=0}, which makes the
 *       driver use only unnamed statements. Setting {@code prepareThreshold=0} in the URL does the
 *       same. Searches set their pgvector options with {@code SET LOCAL} semantics inside their own
 *       transaction, which pgbouncer keeps on one server connection.</li>
 *   <li>{@value #MIGRATION_JDBC_URL}: the JDBC URL migrations use instead of the pool, such as the
 *       server's own address when the pool goes through pgbouncer. Flyway holds an advisory lock
 *       and session settings for the whole migration, which transaction pooling does not keep.
 *       Without it, migrations use the pool (or the caller's DataSource).</li>
 *   <li>{@value #CONFIDENCE_FLOOR}: the knowledge store's confidence floor in [0,1]; default
 *       {@value PostgresKnowledgeStore#DEFAULT_CONFIDENCE_FLOOR}.</li>
 *   <li>{@value #MIN_APPLICATIONS}: applications before the floor applies, 1 or more; default
 *       {@value PostgresKnowledgeStore#DEFAULT_MIN_APPLICATIONS}.</li>
 *   <li>{@value #EXACT_SCAN_MAX}: the most candidates a similarity search reads exactly instead
 *       of walking the HNSW index (fewer in a table where the index finds them sooner; 0 always
 *       walks the index); default
 *       {@value PostgresAgentMemoryStore#DEFAULT_EXACT_SCAN_MAX}.</li>
 *   <li>{@value #RETRY_ATTEMPTS}: attempts of an operation that is safe to repeat (reads, storing
 *       an episode under its client-assigned id, recording an outcome or a vector) when the
 *       database fails transiently (connection lost, server shutting down or starting up,
 *       serialisation failure, deadlock); 1 to 20, default 3. Other writes run once.</li>
 *   <li>{@value #RETRY_BACKOFF}: the wait before the first retry, doubled for each further one,
 *       with jitter; {@code 200ms}, {@code 1s} or ISO-8601 ({@code PT0.2S}); default 200ms.</li>
 *   <li>{@value #CONNECTION_TIMEOUT}: how long a caller waits for a connection from the pool the
 *       provider opens, for instance while the database restarts; default 10s. The pool replaces
 *       broken connections on its own: each is checked before use when it has been idle, and
 *       idle ones every {@value #KEEPALIVE_TIME} (default 60s).</li>
 *   <li>TLS: {@code ssl}, {@code sslmode} ({@code disable}, {@code allow}, {@code prefer},
 *       {@code require}, {@code verify-ca}, {@code verify-full}), {@code sslrootcert},
 *       {@code sslcert}, {@code sslkey}, {@code sslpassword}, {@code sslfactory} and every other
 *       property whose name starts with {@code ssl} go to the PostgreSQL JDBC driver as they are,
 *       for the pool and for migrations. So does any property named {@code jdbc.NAME}, as driver
 *       property {@code NAME} (for instance {@code jdbc.connectTimeout} or
 *       {@code jdbc.socketTimeout}, in seconds). Setting the same in the JDBC URL works too.</li>
 * </ul>
 *
 * <p>Secrets: there is no default user or password. {@link StoreConfig#toString()}, this
 * provider's log lines, {@link MemoryStores#describe()} and its error messages show the JDBC URL
 * with any password in it masked, and {@code sslpassword} masked.
 */
public final class PostgresStoreProvider implements StoreProvider, DimensionChange {

    /** The name users configure. */
    public static final String NAME = "postgres";
    /** The property holding the pool size. */
    public static final String POOL_SIZE = "pool.size";
    /** The property saying the JDBC URL points at pgbouncer in transaction mode. */
    public static final String PGBOUNCER = "pgbouncer";
    /** The property holding the JDBC URL for migrations. */
    public static final String MIGRATION_JDBC_URL = "migration.jdbc-url";
    /** The property holding the knowledge store's confidence floor. */
    public static final String CONFIDENCE_FLOOR = "knowledge.confidence-floor";
    /** The property holding the knowledge store's minimum applications. */
    public static final String MIN_APPLICATIONS = "knowledge.min-applications";
    /** The property holding the largest candidate count searched exactly. */
    public static final String EXACT_SCAN_MAX = "search.exact-scan-max";
    /** The property holding the attempts of an operation that is safe to repeat. */
    public static final String RETRY_ATTEMPTS = "retry.attempts";
    /** The property holding the wait before the first retry. */
    public static final String RETRY_BACKOFF = "retry.backoff";
    /** The property holding how long a caller waits for a pooled connection. */
    public static final String CONNECTION_TIMEOUT = "pool.connection-timeout";
    /** The property holding how often idle pooled connections are checked. */
    public static final String KEEPALIVE_TIME = "pool.keepalive-time";
    /** The prefix of properties passed to the JDBC driver, without the prefix. */
    public static final String JDBC_PREFIX = "jdbc.";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStoreProvider.class);
    private static final int DEFAULT_POOL_SIZE = 10;
    private static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DEFAULT_KEEPALIVE_TIME = Duration.ofSeconds(60);
    private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m)");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MemoryStores open(StoreConfig config) {
        if (config == null) {
            throw new InvalidInputException("config", "is required");
        }
        int dimensions = config.dimensions();
        double floor = config.doubleProperty(CONFIDENCE_FLOOR, PostgresKnowledgeStore.DEFAULT_CONFIDENCE_FLOOR);
        int minApplications = config.intProperty(MIN_APPLICATIONS, PostgresKnowledgeStore.DEFAULT_MIN_APPLICATIONS);
        int exactScanMax = config.intProperty(EXACT_SCAN_MAX, PostgresAgentMemoryStore.DEFAULT_EXACT_SCAN_MAX);
        boolean pgbouncer = booleanProperty(config, PGBOUNCER);
        int attempts = config.intProperty(RETRY_ATTEMPTS, Database.DEFAULT_ATTEMPTS);
        Duration backoff = durationProperty(config, RETRY_BACKOFF, Database.DEFAULT_BACKOFF);
        Database.checkRetry(attempts, backoff);
        String migrationUrl = config.properties().get(MIGRATION_JDBC_URL);
        if (migrationUrl != null && !migrationUrl.startsWith("jdbc:")) {
            throw new InvalidInputException(MIGRATION_JDBC_URL, "'" + Redaction.redact(migrationUrl) + "' does not start with jdbc:");
        }

        HikariDataSource pool = null;
        try {
            DataSource dataSource;
            if (config.dataSource().isPresent()) {
                dataSource = config.dataSource().get();
            } else {
                String url = config.jdbcUrl().orElseThrow(() -> new ConfigurationException(
                        "the postgres store needs a DataSource or a JDBC URL; neither was configured"));
                pool = openPool("agent-memory", url, config, config.intProperty(POOL_SIZE, DEFAULT_POOL_SIZE), pgbouncer);
                dataSource = pool;
            }
            Database db = Database.on(dataSource, attempts, backoff);
            if (config.migrate()) {
                migrate(config, db, migrationUrl, dimensions);
            }
            PostgresSchema.verify(db, dimensions);
            Clock clock = Clock.systemUTC();
            Stores stores = new Stores(
                    new PostgresAgentMemoryStore(db, dimensions, clock, exactScanMax, false),
                    new PostgresKnowledgeStore(db, dimensions, floor, minApplications, clock, false),
                    new PostgresWorkingMemory(db, clock),
                    new PostgresMaintenance(db, dimensions),
                    pool,
                    describe(db, dataSource, dimensions, pgbouncer));
            LOG.info("Opened {}", stores.describe());
            return stores;
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            throw e instanceof MemoryException m ? m : SqlErrors.translate("opening the postgres stores", e);
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>Reads {@code agent_memory_meta} through the configured DataSource, or a connection of its
     * own on the JDBC URL.
     */
    @Override
    public OptionalInt storedDimensions(StoreConfig config) {
        return withDataSource(config, PostgresSchema::recordedDimensions);
    }

    /**
     * {@inheritDoc}
     *
     * <p>See {@link PostgresSchema#changeDimensions}; it runs on {@value #MIGRATION_JDBC_URL} when
     * set, as migrations do, since pgbouncer in transaction mode may not keep the exclusive locks.
     */
    @Override
    public int changeDimensions(StoreConfig config, String model) {
        String migrationUrl = config.properties().get(MIGRATION_JDBC_URL);
        if (migrationUrl != null && config.dataSource().isEmpty()) {
            try (HikariDataSource direct = openPool("agent-memory-maintenance", migrationUrl, config, 1, false)) {
                return PostgresSchema.changeDimensions(direct, config.dimensions(), model);
            }
        }
        return withDataSource(config, ds -> PostgresSchema.changeDimensions(ds, config.dimensions(), model));
    }

    private static <T> T withDataSource(StoreConfig config, Function<DataSource, T> work) {
        if (config.dataSource().isPresent()) {
            return work.apply(config.dataSource().get());
        }
        String url = config.jdbcUrl().orElseThrow(() -> new ConfigurationException(
                "the postgres store needs a DataSource or a JDBC URL; neither was configured"));
        try (HikariDataSource pool = openPool("agent-memory-maintenance", url, config, 1,
                booleanProperty(config, PGBOUNCER))) {
            return work.apply(pool);
        }
    }

    private static void migrate(StoreConfig config, Database db, @Nullable String migrationUrl, int dimensions) {
        if (migrationUrl == null) {
            PostgresSchema.migrate(db, dimensions);
            return;
        }
        // Flyway holds two connections at once: one migrating, one keeping the history table.
        try (HikariDataSource direct = openPool("agent-memory-migration", migrationUrl, config, 2, false)) {
            PostgresSchema.migrate(Database.on(direct), dimensions);
        }
    }

    private static HikariDataSource openPool(String name, String url, StoreConfig config, int size, boolean pgbouncer) {
        if (size < 1) {
            throw new InvalidInputException(POOL_SIZE, size + " must be at least 1");
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(url);
        config.username().ifPresent(hikari::setUsername);
        config.password().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(size);
        // After a database restart every pooled connection is dead. A caller then waits up to the
        // connection timeout while the pool makes new ones (HikariCP's default of 30 s is long for
        // a caller); connections idle for more than half a second are checked before they are
        // handed out, and idle ones are checked every keepalive period, so dead ones are
        // replaced before a caller meets them.
        Duration connectionTimeout = durationProperty(config, CONNECTION_TIMEOUT, DEFAULT_CONNECTION_TIMEOUT);
        if (connectionTimeout.toMillis() < 500) {
            // HikariCP would quietly replace a value below 250 ms with its 30 s default, and the
            // validation timeout (half of this) has the same floor.
            throw new InvalidInputException(CONNECTION_TIMEOUT, connectionTimeout + " is below 500 ms");
        }
        Duration keepalive = durationProperty(config, KEEPALIVE_TIME, DEFAULT_KEEPALIVE_TIME);
        if (!keepalive.isZero() && keepalive.toMillis() < 30_000) {
            throw new InvalidInputException(KEEPALIVE_TIME, keepalive + " is below HikariCP's minimum of 30 s (0 turns it off)");
        }
        hikari.setConnectionTimeout(connectionTimeout.toMillis());
        hikari.setValidationTimeout(Math.min(2_000, connectionTimeout.toMillis() / 2));
        hikari.setKeepaliveTime(keepalive.toMillis());
        if (pgbouncer && !url.toLowerCase(Locale.ROOT).contains("preparethreshold=")) {
            hikari.addDataSourceProperty("prepareThreshold", "0");
        }
        driverProperties(config).forEach(hikari::addDataSourceProperty);
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw SqlErrors.translate("connecting to " + Redaction.redact(url), e);
        }
    }

    /**
     * @param config the configuration
     * @return the properties that go to the JDBC driver as they are: TLS ({@code ssl*}) and
     *     {@code jdbc.NAME}
     */
    static Map<String, String> driverProperties(StoreConfig config) {
        Map<String, String> out = new LinkedHashMap<>();
        config.properties().forEach((key, value) -> {
            if (key.toLowerCase(Locale.ROOT).startsWith("ssl")) {
                out.put(key, value);
            } else if (key.startsWith(JDBC_PREFIX) && key.length() > JDBC_PREFIX.length()) {
                out.put(key.substring(JDBC_PREFIX.length()), value);
            }
        });
        return out;
    }

    private static Duration durationProperty(StoreConfig config, String key, Duration fallback) {
        String value = config.properties().get(key);
        if (value == null) {
            return fallback;
        }
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

    private static String describe(Database db, DataSource dataSource, int dimensions, boolean pgbouncer) {
        String url;
        try (Connection c = dataSource.getConnection()) {
            url = Redaction.redact(c.getMetaData().getURL());
        } catch (SQLException e) {
            throw SqlErrors.translate("reading the connection's URL", e);
        }
        return "postgres " + url + " (schema '" + PostgresSchema.currentSchema(db) + "' version "
                + PostgresSchema.schemaVersion(db) + ", " + dimensions + " dimensions"
                + (pgbouncer ? ", through pgbouncer" : "") + ")";
    }


    private static boolean booleanProperty(StoreConfig config, String key) {
        String value = config.properties().get(key);
        if (value == null) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidInputException(key, "'" + value + "' is neither true nor false");
        };
    }

    private record Stores(PostgresAgentMemoryStore episodeStore, PostgresKnowledgeStore knowledgeStore,
                          PostgresWorkingMemory memory, PostgresMaintenance maintenance,
                          @Nullable HikariDataSource pool, String description)
            implements MemoryStores, StoreMaintenance {

        @Override
        public AgentMemoryStore episodes() {
            return episodeStore;
        }

        @Override
        public Optional<KnowledgeStore> knowledge() {
            return Optional.of(knowledgeStore);
        }

        @Override
        public Optional<WorkingMemory> workingMemory() {
            return Optional.of(memory);
        }

        @Override
        public String describe() {
            return description;
        }

        @Override
        public List<StoredEpisode> readEpisodes(@Nullable UUID after, int limit) {
            return maintenance.readEpisodes(after, limit);
        }

        @Override
        public List<StoredStrategy> readStrategies(@Nullable UUID after, int limit) {
            return maintenance.readStrategies(after, limit);
        }

        @Override
        public Map<String, Long> countEpisodesByProject() {
            return maintenance.countEpisodesByProject();
        }

        @Override
        public Optional<String> schemaVersion() {
            return maintenance.schemaVersion();
        }

        @Override
        public Optional<String> embeddingModel() {
            return maintenance.embeddingModel();
        }

        @Override
        public long clearEmbeddings(String model) {
            return maintenance.clearEmbeddings(model);
        }

        @Override
        public void updateStrategyEmbedding(UUID knowledgeId, float[] embedding) {
            maintenance.updateStrategyEmbedding(knowledgeId, embedding);
        }

        @Override
        public void close() {
            // Only a pool this provider opened; a caller's DataSource is the caller's to close.
            if (pool != null) {
                pool.close();
            }
        }
    }
}
