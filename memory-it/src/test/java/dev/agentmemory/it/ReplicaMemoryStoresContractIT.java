package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.testkit.MemoryStoresContract;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The stores' shared contract on PostgreSQL with reads on the real hot standby (15/replica):
 * writes on the primary, reads on the standby whenever it has replayed them, and at the end proof
 * that the standby did answer reads.
 */
class ReplicaMemoryStoresContractIT extends MemoryStoresContract {

    private static final String SCHEMA = TestDatabase.schemaName(ReplicaMemoryStoresContractIT.class);
    private static final LongAdder STANDBY_READS = new LongAdder();
    private static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() throws Exception {
        LocalReplica.ensureUp();
        dataSource = TestDatabase.freshSchema(ReplicaMemoryStoresContractIT.class);
    }

    @AfterAll
    static void standbyAnsweredAndClose() {
        dataSource.close();
        assertThat(STANDBY_READS.sum()).as("reads the standby answered over the whole contract").isPositive();
    }

    @Override
    protected MemoryStores openStores(int dimensions) {
        MemoryStores stores = LocalReplica.openStores(SCHEMA, dimensions, Map.of());
        TestDatabase.truncateAll(dataSource);
        // Emptied behind the stores' back: the standby must have replayed that before it answers.
        LocalReplica.awaitReplayed();
        return stores;
    }

    @AfterEach
    void countStandbyReads() {
        STANDBY_READS.add(LocalReplica.stats(stores).standbyReads());
    }
}
