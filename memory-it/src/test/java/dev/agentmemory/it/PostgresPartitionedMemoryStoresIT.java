package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.postgres.PostgresStoreOptions;
import org.junit.jupiter.api.Test;

/**
 * The stores' shared contract through the provider with {@code schema.partitions=4}: the first
 * open makes agent_episodes partitioned by project, as {@code agent-memory init} does.
 */
class PostgresPartitionedMemoryStoresIT extends PostgresMemoryStoresIT {

    @Override
    protected PostgresStoreOptions options() {
        return PostgresStoreOptions.builder().partitions(4).build();
    }

    @Test
    void theProviderOpenedTheStoresOnFourPartitions() throws Exception {
        try (MemoryStores stores = openStores(DIMENSIONS)) {
            assertThat(stores).isNotNull();
            assertThat(PostgresPartitionedStoreIT.partitions(dataSource)).isEqualTo(4);
        }
    }
}
