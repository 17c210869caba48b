package dev.agentmemory.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.Redaction;
import dev.agentmemory.api.Strategy;
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
 * <p>{@link StoreConfig#properties()} are parsed into {@link PostgresStoreOptions}, which says
 * what each key means and refuses keys it does not know; {@link #open(StoreConfig,
 * PostgresStoreOptions)} takes the typed options directly. With {@code pgbouncer=true} the pool's
 * connections get {@code prepareThreshold=0} (pgbouncer 1.18 cannot keep server-side prepared
 * statements across transactions), and migrating needs {@code migration.jdbc-url}, the server's
 * direct address.
 *
 * <p>Secrets: there is no default user or password. {@link StoreConfig#toString()}, this
 * provider's log lines, {@link MemoryStores#describe()} and its error messages show the JDBC URL
 * with any password in it masked, and {@code sslpassword} masked.
 */
public final class PostgresStoreProvider implements StoreProvider, DimensionChange {

    /** The name users configure. */
    public static final String NAME = "postgres";
    /** The property holding the pool size. */
    public static final String POOL_SIZE = PostgresStoreOptions.POOL_SIZE;
    /** The property saying the JDBC URL points at pgbouncer in transaction mode. */
    public static final String PGBOUNCER = PostgresStoreOptions.PGBOUNCER;
    /** The property holding the JDBC URL for migrations. */
    public static final String MIGRATION_JDBC_URL = PostgresStoreOptions.MIGRATION_JDBC_URL;
    /** The property holding the knowledge store's confidence floor. */
    public static final String CONFIDENCE_FLOOR = PostgresStoreOptions.CONFIDENCE_FLOOR;
    /** The property holding the knowledge store's minimum applications. */
    public static final String MIN_APPLICATIONS = PostgresStoreOptions.MIN_APPLICATIONS;
    /** The property holding the largest candidate count searched exactly. */
    public static final String EXACT_SCAN_MAX = PostgresStoreOptions.EXACT_SCAN_MAX;
    /** The property holding the attempts of an operation that is safe to repeat. */
    public static final String RETRY_ATTEMPTS = PostgresStoreOptions.RETRY_ATTEMPTS;
    /** The property holding the wait before the first retry. */
    public static final String RETRY_BACKOFF = PostgresStoreOptions.RETRY_BACKOFF;
    /** The property holding the time one call may take in all, retries included. */
    public static final String RETRY_DEADLINE = PostgresStoreOptions.RETRY_DEADLINE;
    /** The property holding how long a caller waits for a pooled connection. */
    public static final String CONNECTION_TIMEOUT = PostgresStoreOptions.CONNECTION_TIMEOUT;
    /** The property holding how often idle pooled connections are checked. */
    public static final String KEEPALIVE_TIME = PostgresStoreOptions.KEEPALIVE_TIME;
    /** The prefix of properties passed to the JDBC driver, without the prefix. */
    public static final String JDBC_PREFIX = PostgresStoreOptions.JDBC_PREFIX;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStoreProvider.class);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public MemoryStores open(StoreConfig config) {
        if (config == null) {
            throw new InvalidInputException("config", "is required");
        }
        return open(config, PostgresStoreOptions.fromProperties(config.properties()));
    }

    /**
     * Opens the stores with typed options; the properties of {@code config} are not read.
     *
     * @param config the connection (DataSource or JDBC URL and credentials), size and migrate flag
     * @param options the backend's settings
     * @return the stores
     */
    public MemoryStores open(StoreConfig config, PostgresStoreOptions options) {
        if (config == null) {
            throw new InvalidInputException("config", "is required");
        }
        if (options == null) {
            throw new InvalidInputException("options", "is required");
        }
        options.checkFor(config.migrate());
        int dimensions = config.dimensions();
        HikariDataSource pool = null;
        ReadReplicas reads = null;
        try {
            DataSource dataSource;
            if (config.dataSource().isPresent()) {
                dataSource = config.dataSource().get();
            } else {
                String url = config.jdbcUrl().orElseThrow(() -> new ConfigurationException(
                        "the postgres store needs a DataSource or a JDBC URL; neither was configured"));
                pool = openPool("agent-memory", url, config, options, options.poolSize(), options.pgbouncer());
                dataSource = pool;
            }
            Database db = Database.on(dataSource, options.retryAttempts(), options.retryBackoff(), options.retryDeadline());
            if (config.migrate()) {
                migrate(config, options, db, dimensions);
            }
            PostgresSchema.verify(db, dimensions);
            PostgresPartitioning.verify(db, options.partitions());
            String description = describe(db, dataSource, dimensions, options.pgbouncer());
            if (options.readReplicas().enabled()) {
                reads = ReadReplicas.open(options.readReplicas(),
                        url -> poolConfig("agent-memory-read", url, config, options, options.poolSize(), false), db);
                db = db.withReadReplicas(reads);
                description += ", " + reads.describe();
            }
            Clock clock = Clock.systemUTC();
            Stores stores = new Stores(
                    new PostgresAgentMemoryStore(db, dimensions, clock, options.exactScanMax(), false),
                    new PostgresKnowledgeStore(db, dimensions, options.confidenceFloor(), options.minApplications(),
                            clock, false),
                    new PostgresWorkingMemory(db, clock),
                    new PostgresMaintenance(db, dimensions),
                    pool,
                    reads,
                    description);
            LOG.info("Opened {}", stores.describe());
            return stores;
        } catch (RuntimeException e) {
            if (reads != null) {
                reads.close();
            }
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
        PostgresStoreOptions options = PostgresStoreOptions.fromProperties(config.properties());
        String migrationUrl = options.migrationJdbcUrl();
        if (migrationUrl != null && config.dataSource().isEmpty()) {
            try (HikariDataSource direct = openPool("agent-memory-maintenance", migrationUrl, config, options, 1, false)) {
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
        PostgresStoreOptions options = PostgresStoreOptions.fromProperties(config.properties());
        try (HikariDataSource pool = openPool("agent-memory-maintenance", url, config, options, 1, options.pgbouncer())) {
            return work.apply(pool);
        }
    }

    private static void migrate(StoreConfig config, PostgresStoreOptions options, Database db, int dimensions) {
        String migrationUrl = options.migrationJdbcUrl();
        if (migrationUrl == null) {
            PostgresSchema.migrate(db, dimensions);
            partition(db, options);
            return;
        }
        // Flyway holds two connections at once: one migrating, one keeping the history table.
        try (HikariDataSource direct = openPool("agent-memory-migration", migrationUrl, config, options, 2, false)) {
            PostgresSchema.migrate(Database.on(direct), dimensions);
            partition(Database.on(direct), options);
        }
    }

    // Part of migrating: an existing plain table's rows are moved here, with progress in the log.
    private static void partition(Database db, PostgresStoreOptions options) {
        if (options.partitions() > 0) {
            PostgresPartitioning.partition(db, options.partitions(), PostgresPartitioning.DEFAULT_BATCH_ROWS, 0,
                    (moved, total) -> { });
        }
    }

    private static HikariDataSource openPool(String name, String url, StoreConfig config, PostgresStoreOptions options,
                                             int size, boolean pgbouncer) {
        HikariConfig hikari = poolConfig(name, url, config, options, size, pgbouncer);
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw SqlErrors.translate("connecting to " + Redaction.redact(url), e);
        }
    }

    // The settings of every pool the provider opens: the primary's, migrations' and the standbys'.
    private static HikariConfig poolConfig(String name, String url, StoreConfig config, PostgresStoreOptions options,
                                           int size, boolean pgbouncer) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(name);
        hikari.setJdbcUrl(url);
        config.username().ifPresent(hikari::setUsername);
        config.password().ifPresent(hikari::setPassword);
        hikari.setMaximumPoolSize(size);
        // One attempt waits at most the connection timeout, and the retry deadline bounds the
        // attempts: so a call fails within seconds while the database is down. Connections idle
        // for more than half a second are checked before they are handed out, and idle ones every
        // keepalive period, so dead ones are replaced before a caller meets them.
        long timeout = options.connectionTimeout().toMillis();
        hikari.setConnectionTimeout(timeout);
        hikari.setValidationTimeout(Math.min(2_000, timeout / 2));
        hikari.setKeepaliveTime(options.keepaliveTime().toMillis());
        if (pgbouncer && !url.toLowerCase(Locale.ROOT).contains("preparethreshold=")) {
            hikari.addDataSourceProperty("prepareThreshold", "0");
        }
        options.driverProperties().forEach(hikari::addDataSourceProperty);
        return hikari;
    }

    /**
     * @param stores stores this provider opened
     * @return what their reads did and how many standbys answer now, when they were opened with
     *     {@code read.jdbc-url}; empty otherwise
     */
    public static Optional<ReadReplicaStats> readReplicaStats(MemoryStores stores) {
        if (stores instanceof Stores s && s.reads() != null) {
            return Optional.of(s.reads().stats());
        }
        return Optional.empty();
    }

    /**
     * @param config the configuration
     * @return the properties that go to the JDBC driver as they are: TLS ({@code ssl*}) and
     *     {@code jdbc.NAME}
     * @throws InvalidInputException for a key the store does not know
     */
    static Map<String, String> driverProperties(StoreConfig config) {
        return PostgresStoreOptions.fromProperties(config.properties()).driverProperties();
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


    private record Stores(PostgresAgentMemoryStore episodeStore, PostgresKnowledgeStore knowledgeStore,
                          PostgresWorkingMemory memory, PostgresMaintenance maintenance,
                          @Nullable HikariDataSource pool, @Nullable ReadReplicas reads, String description)
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
        public List<Strategy> recordOutcome(UUID episodeId, Map<String, Object> outcome, double outcomeQuality,
                                            List<UUID> appliedStrategies, boolean success) {
            return knowledgeStore.recordOutcome(episodeId, outcome, outcomeQuality, appliedStrategies, success);
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
            if (reads != null) {
                reads.close();
            }
            // Only a pool this provider opened; a caller's DataSource is the caller's to close.
            if (pool != null) {
                pool.close();
            }
        }
    }
}
