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
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreProvider;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
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
 *   <li>{@value #EXACT_SCAN_MAX}: up to this many candidates a similarity search computes exact
 *       distances instead of using the HNSW index; default
 *       {@value PostgresAgentMemoryStore#DEFAULT_EXACT_SCAN_MAX}.</li>
 * </ul>
 */
public final class PostgresStoreProvider implements StoreProvider {

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

    private static final Logger LOG = LoggerFactory.getLogger(PostgresStoreProvider.class);
    private static final int DEFAULT_POOL_SIZE = 10;

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
        double floor = doubleProperty(config, CONFIDENCE_FLOOR, PostgresKnowledgeStore.DEFAULT_CONFIDENCE_FLOOR);
        int minApplications = config.intProperty(MIN_APPLICATIONS, PostgresKnowledgeStore.DEFAULT_MIN_APPLICATIONS);
        int exactScanMax = config.intProperty(EXACT_SCAN_MAX, PostgresAgentMemoryStore.DEFAULT_EXACT_SCAN_MAX);
        boolean pgbouncer = booleanProperty(config, PGBOUNCER);
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
            Database db = Database.on(dataSource);
            if (config.migrate()) {
                migrate(config, db, migrationUrl, dimensions);
            }
            PostgresSchema.verify(db, dimensions);
            Clock clock = Clock.systemUTC();
            Stores stores = new Stores(
                    new PostgresAgentMemoryStore(db, dimensions, clock, exactScanMax, false),
                    new PostgresKnowledgeStore(db, dimensions, floor, minApplications, clock, false),
                    new PostgresWorkingMemory(db, clock),
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
        if (pgbouncer && !url.toLowerCase(Locale.ROOT).contains("preparethreshold=")) {
            hikari.addDataSourceProperty("prepareThreshold", "0");
        }
        try {
            return new HikariDataSource(hikari);
        } catch (RuntimeException e) {
            throw SqlErrors.translate("connecting to " + Redaction.redact(url), e);
        }
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

    private static double doubleProperty(StoreConfig config, String key, double fallback) {
        String value = config.properties().get(key);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInputException(key, "'" + value + "' is not a number");
        }
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
                          PostgresWorkingMemory memory, @Nullable HikariDataSource pool, String description)
            implements MemoryStores {

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
        public void close() {
            // Only a pool this provider opened; a caller's DataSource is the caller's to close.
            if (pool != null) {
                pool.close();
            }
        }
    }
}
