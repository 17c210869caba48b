package dev.agentmemory.postgres;

import dev.agentmemory.postgres.mybatis.InstantTypeHandler;
import dev.agentmemory.postgres.mybatis.JsonbTypeHandler;
import dev.agentmemory.postgres.mybatis.UuidListTypeHandler;
import dev.agentmemory.postgres.mybatis.UuidTypeHandler;
import dev.agentmemory.postgres.mybatis.VectorTypeHandler;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.apache.ibatis.mapping.Environment;
import org.apache.ibatis.session.Configuration;
import org.apache.ibatis.session.LocalCacheScope;
import org.apache.ibatis.session.SqlSession;
import org.apache.ibatis.session.SqlSessionFactory;
import org.apache.ibatis.session.SqlSessionFactoryBuilder;
import org.apache.ibatis.transaction.jdbc.JdbcTransactionFactory;
import org.apache.ibatis.type.TypeHandlerRegistry;

/**
 * MyBatis on a caller's {@link DataSource}, configured in code (no Spring, no XML configuration
 * file), and the one place where a unit of work runs and its failures are translated.
 */
final class Database {

    private final DataSource dataSource;
    private final SqlSessionFactory sessions;

    private Database(DataSource dataSource, SqlSessionFactory sessions) {
        this.dataSource = dataSource;
        this.sessions = sessions;
    }

    /**
     * @param dataSource where connections come from; never closed here
     * @return MyBatis configured with agent-memory's mappers and type handlers
     */
    static Database on(DataSource dataSource) {
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
        return new Database(dataSource, new SqlSessionFactoryBuilder().build(c));
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
    <T> T autoCommit(String operation, Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(true)) {
            return work.apply(session);
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
    <T> T transaction(String operation, Function<SqlSession, T> work) {
        try (SqlSession session = sessions.openSession(false)) {
            T result = work.apply(session);
            session.commit(true);
            return result;
        } catch (RuntimeException e) {
            // Closing the session without a commit rolls the transaction back.
            throw SqlErrors.translate(operation, e);
        }
    }
}
