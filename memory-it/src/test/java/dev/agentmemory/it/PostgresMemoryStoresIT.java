package dev.agentmemory.it;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.postgres.PostgresStoreOptions;
import dev.agentmemory.postgres.PostgresStoreProvider;
import dev.agentmemory.testkit.MemoryStoresContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The stores' shared contract on PostgreSQL, through the provider, as an application opens them. */
class PostgresMemoryStoresIT extends MemoryStoresContract {

    static HikariDataSource dataSource;

    @BeforeAll
    static void createSchema() {
        dataSource = TestDatabase.freshSchema(PostgresMemoryStoresIT.class);
    }

    @AfterAll
    static void closePool() {
        dataSource.close();
    }

    /** @return the options the stores are opened with */
    protected PostgresStoreOptions options() {
        return PostgresStoreOptions.ofDefaults();
    }

    @Override
    protected MemoryStores openStores(int dimensions) {
        MemoryStores stores = new PostgresStoreProvider().open(StoreConfig.builder().dimensions(dimensions)
                .dataSource(dataSource).migrate(true).build(), options());
        TestDatabase.truncateAll(dataSource);
        return stores;
    }
}
