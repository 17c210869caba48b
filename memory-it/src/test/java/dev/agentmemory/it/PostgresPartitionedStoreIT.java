package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresPartitioning;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.testkit.AgentMemoryStoreContract;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The episodic-memory contract on agent_episodes hash-partitioned by project into 8 partitions
 * (schema.partitions), with the selective-recall corpus at 50,000 as on the plain table.
 */
class PostgresPartitionedStoreIT extends AgentMemoryStoreContract {

    static final int PARTITIONS = 8;

    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = TestDatabase.freshSchema(PostgresPartitionedStoreIT.class);
        PostgresSchema.migrate(dataSource, DIMENSIONS);
        PostgresPartitioning.Outcome made = PostgresPartitioning.partition(dataSource, PARTITIONS,
                PostgresPartitioning.DEFAULT_BATCH_ROWS, 0, (moved, total) -> { });
        assertThat(made.done()).isTrue();
        assertThat(partitions(dataSource)).isEqualTo(PARTITIONS);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    static int partitions(javax.sql.DataSource ds) {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_inherits WHERE inhparent = 'agent_episodes'::regclass")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected AgentMemoryStore newStore(int dimensions) {
        TestDatabase.truncateAll(dataSource);
        return new PostgresAgentMemoryStore(dataSource, dimensions);
    }

    @Override
    protected long countRowsDirectly() {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM agent_episodes")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected int selectiveRecallCorpusSize() {
        return 50_000;
    }
}
