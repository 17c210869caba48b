package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.spi.MemoryStores;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import dev.agentmemory.testkit.AgentMemoryStoreContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The episodic-memory contract with reads (get, lists, searches, counts) on the real hot standby,
 * the selective-recall corpus at 50,000 as on the primary alone.
 */
class ReplicaAgentMemoryStoreContractIT extends AgentMemoryStoreContract {

    private static final String SCHEMA = TestDatabase.schemaName(ReplicaAgentMemoryStoreContractIT.class);
    private static final LongAdder STANDBY_READS = new LongAdder();
    private static HikariDataSource dataSource;
    private final Map<AgentMemoryStore, MemoryStores> opened = new IdentityHashMap<>();

    @BeforeAll
    static void createSchema() throws Exception {
        LocalReplica.ensureUp();
        dataSource = TestDatabase.freshSchema(ReplicaAgentMemoryStoreContractIT.class);
    }

    @AfterAll
    static void standbyAnsweredAndClose() {
        dataSource.close();
        assertThat(STANDBY_READS.sum()).as("reads the standby answered over the whole contract").isPositive();
    }

    @Override
    protected AgentMemoryStore newStore(int dimensions) {
        MemoryStores stores = LocalReplica.openStores(SCHEMA, dimensions, Map.of());
        TestDatabase.truncateAll(dataSource);
        LocalReplica.awaitReplayed();
        opened.put(stores.episodes(), stores);
        return stores.episodes();
    }

    @Override
    protected void closeStore(AgentMemoryStore s) {
        MemoryStores stores = opened.remove(s);
        if (stores != null) {
            STANDBY_READS.add(LocalReplica.stats(stores).standbyReads());
            stores.close();
        }
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
