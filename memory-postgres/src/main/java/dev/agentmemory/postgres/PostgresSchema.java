package dev.agentmemory.postgres;

import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.MemoryException;
import java.util.Map;
import java.util.OptionalInt;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent-memory schema: tables {@code agent_episodes}, {@code agent_knowledge},
 * {@code agent_working_memory} and {@code agent_memory_meta}, created and upgraded by Flyway from
 * the versioned, append-only migrations in {@value #LOCATION}, recorded in the table
 * {@value #HISTORY_TABLE}. Everything lives in the connection's current schema (the first schema
 * of its {@code search_path}; pgjdbc's {@code currentSchema} sets it).
 *
 * <p>The vector size is fixed when the schema is created and recorded in {@code agent_memory_meta};
 * opening it for another size fails with a {@link ConfigurationException} naming both sizes, before
 * anything is changed.
 *
 * <p>A schema that already holds the tables from the earlier deployment (made by hand with the
 * contract's columns, without a migration history) is taken over without loss: it is baselined at
 * version 0 and the migrations, all idempotent, add only what is missing. Its recorded size is the
 * one its {@code embedding} column was declared with.
 *
 * <p>Migrations take a PostgreSQL advisory lock and keep session state, so run them on a direct
 * connection to the server, not through pgbouncer in transaction mode. Flyway holds two
 * connections at once, so a pool given to {@link #migrate} needs room for two. The {@code vector}
 * extension is created by the first migration when missing, which needs a role allowed to create
 * it; where it already exists nothing is needed.
 */
public final class PostgresSchema {

    /** Where the migrations are, on the class path. */
    public static final String LOCATION = "classpath:db/migration/agentmemory";
    /** Flyway's history table. */
    public static final String HISTORY_TABLE = "agent_memory_schema_history";

    private static final Logger LOG = LoggerFactory.getLogger(PostgresSchema.class);
    private static final String DIMENSIONS_KEY = "dimensions";
    /** The migration that keeps vectors in the rows it writes from then on (V4__inline_vectors.sql). */
    private static final String INLINE_VECTORS_VERSION = "4";

    private PostgresSchema() {
    }

    /**
     * Creates the schema or brings it up to date. A second run changes nothing.
     *
     * @param dataSource a direct connection to the database; not closed
     * @param dimensions the vector size, 1 to 16000
     * @return how many migrations were applied
     * @throws ConfigurationException when the schema was created for another vector size
     */
    public static int migrate(DataSource dataSource, int dimensions) {
        return migrate(Database.on(dataSource), dimensions);
    }

    /**
     * @param dataSource where the schema is; not closed
     * @return the vector size the schema was created for, or empty when there is no schema yet
     */
    public static OptionalInt recordedDimensions(DataSource dataSource) {
        return recordedDimensions(Database.on(dataSource));
    }

    /**
     * Checks that the schema exists and was created for {@code dimensions}.
     *
     * @param dataSource where the schema is; not closed
     * @param dimensions the vector size the caller will use
     * @throws ConfigurationException when there is no schema or it was created for another size
     */
    public static void verify(DataSource dataSource, int dimensions) {
        verify(Database.on(dataSource), dimensions);
    }

    static int migrate(Database db, int dimensions) {
        checkDimensions(dimensions);
        // Refuse before Flyway touches anything: a mismatch found afterwards would leave the
        // knowledge table created for the wrong size.
        OptionalInt existing = existingDimensions(db);
        if (existing.isPresent() && existing.getAsInt() != dimensions) {
            throw mismatch(db, existing.getAsInt(), dimensions);
        }
        createExtension(db);
        MigrateResult result;
        try {
            result = Flyway.configure(PostgresSchema.class.getClassLoader())
                    .dataSource(db.dataSource())
                    .locations(LOCATION)
                    .table(HISTORY_TABLE)
                    .placeholders(Map.of(DIMENSIONS_KEY, Integer.toString(dimensions)))
                    // A schema with tables but no history is the earlier deployment's: baseline it
                    // at 0 so that V1 onwards, all idempotent, still run over it.
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .baselineDescription("agent-memory tables found without migration history")
                    // All pending migrations in one transaction: a failure leaves the schema as it was.
                    .group(true)
                    .failOnMissingLocations(true)
                    .load()
                    .migrate();
        } catch (MemoryException e) {
            throw e;
        } catch (RuntimeException e) {
            ConfigurationException extension = missingExtension(db, e);
            throw extension != null ? extension : SqlErrors.translate("migrating the agent-memory schema", e);
        }
        if (result.migrationsExecuted > 0) {
            LOG.info("agent-memory schema in '{}' migrated from version {} to {} ({} migrations, {} dimensions)",
                    currentSchema(db), result.initialSchemaVersion, result.targetSchemaVersion,
                    result.migrationsExecuted, dimensions);
        }
        if (result.migrations.stream().anyMatch(m -> INLINE_VECTORS_VERSION.equals(m.version))
                && db.autoCommit("looking for episodes stored before version 4",
                        s -> s.getMapper(SchemaMapper.class).hasEpisodes())) {
            LOG.info("agent-memory schema in '{}': episodes stored before version {} keep their vectors outside their"
                    + " rows until the rows are rewritten, and searches over them stay as slow as before until then;"
                    + " VACUUM FULL agent_episodes rewrites them (and agent_knowledge likewise), holding an exclusive"
                    + " lock on the table while it runs", currentSchema(db), INLINE_VECTORS_VERSION);
        }
        verify(db, dimensions);
        return result.migrationsExecuted;
    }

    /**
     * Changes the vector size of an existing schema, for an embedding model that makes vectors of
     * another size. In one transaction: the {@code embedding} columns of {@code agent_episodes} and
     * {@code agent_knowledge} take the new size with every vector dropped (each episode becomes
     * pending embedding; PostgreSQL rebuilds their HNSW and partial indexes as part of the change,
     * keeping their names and options), the new size is recorded in {@code agent_memory_meta}, and so
     * is {@code model} under {@code embedding_model}. A failure leaves the schema as it was. Nothing
     * happens when the size is already {@code dimensions}. Holds an exclusive lock on both tables
     * while it runs, which is short: there are no vectors left to index.
     *
     * @param dataSource where the schema is; not closed
     * @param dimensions the new vector size, 1 to 16000
     * @param model the embedding model that makes vectors of the new size
     * @return the size before the change
     * @throws ConfigurationException when there is no schema
     */
    public static int changeDimensions(DataSource dataSource, int dimensions, String model) {
        return changeDimensions(Database.on(dataSource), dimensions, model);
    }

    static int changeDimensions(Database db, int dimensions, String model) {
        checkDimensions(dimensions);
        PostgresMaintenance.checkModel(model);
        if (recordedDimensions(db).isEmpty()) {
            throw new ConfigurationException("no agent-memory schema in schema '" + currentSchema(db)
                    + "' to change: create it first");
        }
        int before = db.transaction("changing the vector size to " + dimensions, s -> {
            MaintenanceMapper m = s.getMapper(MaintenanceMapper.class);
            int recorded = parse(m.lockDimensions()).orElseThrow(() ->
                    new ConfigurationException("agent_memory_meta holds no vector size"));
            if (recorded != dimensions) {
                m.resizeEpisodeEmbeddings(dimensions);
                m.resizeStrategyEmbeddings(dimensions);
                m.putMeta(DIMENSIONS_KEY, Integer.toString(dimensions));
                m.putMeta(PostgresMaintenance.MODEL_KEY, model);
            }
            return recorded;
        });
        if (before != dimensions) {
            LOG.info("agent-memory schema in '{}' changed from {} to {} dimensions for {}; every vector dropped",
                    currentSchema(db), before, dimensions, model);
        }
        return before;
    }

    static void verify(Database db, int dimensions) {
        checkDimensions(dimensions);
        OptionalInt recorded = recordedDimensions(db);
        if (recorded.isEmpty()) {
            String schema = db.autoCommit("reading the current schema", s -> s.getMapper(SchemaMapper.class).currentSchema());
            throw new ConfigurationException("no agent-memory schema in schema '" + schema
                    + "' (table agent_memory_meta is missing): open the stores with migrate enabled, or run "
                    + "PostgresSchema.migrate first");
        }
        if (recorded.getAsInt() != dimensions) {
            throw mismatch(db, recorded.getAsInt(), dimensions);
        }
    }

    static OptionalInt recordedDimensions(Database db) {
        return db.autoCommit("reading the agent-memory schema's vector size", s -> {
            SchemaMapper m = s.getMapper(SchemaMapper.class);
            if (!m.tableExists("agent_memory_meta")) {
                return OptionalInt.empty();
            }
            return parse(m.meta(DIMENSIONS_KEY));
        });
    }

    /** @return the schema version, or null when Flyway never ran here */
    static @Nullable String schemaVersion(Database db) {
        return db.autoCommit("reading the agent-memory schema version", s -> {
            SchemaMapper m = s.getMapper(SchemaMapper.class);
            return m.tableExists(HISTORY_TABLE) ? m.schemaVersion() : null;
        });
    }

    /**
     * Creates the {@code vector} extension when the database lacks it, before Flyway writes its
     * history table: a user who may not create it is told so with nothing written.
     */
    private static void createExtension(Database db) {
        try (java.sql.Connection c = db.dataSource().getConnection(); java.sql.Statement s = c.createStatement()) {
            boolean present;
            try (java.sql.ResultSet rs = s.executeQuery("SELECT 1 FROM pg_extension WHERE extname = 'vector'")) {
                present = rs.next();
            }
            if (!present) {
                if (!c.getAutoCommit()) {
                    c.setAutoCommit(true);
                }
                s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            }
        } catch (java.sql.SQLException e) {
            ConfigurationException extension = missingExtension(db, e);
            throw extension != null ? extension : SqlErrors.translate("creating the vector extension", e);
        }
    }

    /**
     * The schema needs the {@code vector} extension, which only a superuser can create (pgvector is
     * not a trusted extension): a new user meets this first, so it is said in words that fix it.
     *
     * @return what to do, when {@code failure} is the extension's; else null
     */
    static @Nullable ConfigurationException missingExtension(Database db, Throwable failure) {
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (!(t instanceof java.sql.SQLException sql) || sql.getMessage() == null
                    || !sql.getMessage().contains("\"vector\"")) {
                continue;
            }
            String state = String.valueOf(sql.getSQLState());
            String database;
            try {
                database = db.autoCommit("reading the database's name", s -> s.getMapper(SchemaMapper.class).currentDatabase());
            } catch (RuntimeException e) {
                database = "(this database)";
            }
            if (state.equals("42501")) {
                return new ConfigurationException("the database '" + database + "' has no 'vector' extension and this"
                        + " user may not create it: a superuser must run CREATE EXTENSION vector; once in that database"
                        + " (for example: sudo -u postgres psql -d " + database + " -c 'CREATE EXTENSION vector'),"
                        + " then create the schema again (agent-memory init)", failure);
            }
            if (state.equals("0A000") || state.equals("58P01")) {
                return new ConfigurationException("the PostgreSQL server has no pgvector installed (extension 'vector' is"
                        + " not available): install pgvector on the server (https://github.com/pgvector/pgvector),"
                        + " then a superuser runs CREATE EXTENSION vector; once in database '" + database + "', then"
                        + " create the schema again (agent-memory init)", failure);
            }
        }
        return null;
    }

    static @Nullable String currentSchema(Database db) {
        return db.autoCommit("reading the current schema", s -> s.getMapper(SchemaMapper.class).currentSchema());
    }

    /** The recorded size, or for a taken-over table not yet migrated, its column's declared size. */
    private static OptionalInt existingDimensions(Database db) {
        OptionalInt recorded = recordedDimensions(db);
        if (recorded.isPresent()) {
            return recorded;
        }
        Integer typmod = db.autoCommit("reading the size of agent_episodes.embedding",
                s -> s.getMapper(SchemaMapper.class).episodeEmbeddingTypmod());
        return typmod == null || typmod <= 0 ? OptionalInt.empty() : OptionalInt.of(typmod);
    }

    private static OptionalInt parse(@Nullable String value) {
        if (value == null) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            throw new ConfigurationException("agent_memory_meta holds dimensions '" + value + "', which is not a number", e);
        }
    }

    private static ConfigurationException mismatch(Database db, int recorded, int requested) {
        return new ConfigurationException("the agent-memory schema in schema '" + currentSchema(db)
                + "' was created for " + recorded + "-dimensional vectors, but the stores were opened for "
                + requested + " dimensions: open them with dimensions " + recorded
                + ", or use another schema or database for " + requested + "-dimensional vectors");
    }

    private static void checkDimensions(int dimensions) {
        if (dimensions < 1 || dimensions > 16_000) {
            throw new InvalidInputException("dimensions", dimensions + " is outside 1 to 16000");
        }
    }
}
