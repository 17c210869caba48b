package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.testkit.KnowledgeStoreContract;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The knowledge-store contract with reads (get, list, applicable) on the real hot standby. */
class ReplicaKnowledgeStoreContractIT extends KnowledgeStoreContract {

    private static final String SCHEMA = TestDatabase.schemaName(ReplicaKnowledgeStoreContractIT.class);
    private static final LongAdder STANDBY_READS = new LongAdder();
    private static HikariDataSource dataSource;
    private final Map<KnowledgeStore, MemoryStores> opened = new IdentityHashMap<>();

    @BeforeAll
    static void createSchema() throws Exception {
        LocalReplica.ensureUp();
        dataSource = TestDatabase.freshSchema(ReplicaKnowledgeStoreContractIT.class);
    }

    @AfterAll
    static void standbyAnsweredAndClose() {
        dataSource.close();
        assertThat(STANDBY_READS.sum()).as("reads the standby answered over the whole contract").isPositive();
    }

    @Override
    protected KnowledgeStore newKnowledgeStore(int dimensions, double confidenceFloor, int minApplications) {
        MemoryStores stores = LocalReplica.openStores(SCHEMA, dimensions, Map.of(
                "knowledge.confidence-floor", Double.toString(confidenceFloor),
                "knowledge.min-applications", Integer.toString(minApplications)));
        TestDatabase.truncateAll(dataSource);
        LocalReplica.awaitReplayed();
        KnowledgeStore store = stores.knowledge().orElseThrow();
        opened.put(store, stores);
        return store;
    }

    @Override
    protected void closeStore(KnowledgeStore s) {
        MemoryStores stores = opened.remove(s);
        if (stores != null) {
            STANDBY_READS.add(LocalReplica.stats(stores).standbyReads());
            stores.close();
        }
    }
}
