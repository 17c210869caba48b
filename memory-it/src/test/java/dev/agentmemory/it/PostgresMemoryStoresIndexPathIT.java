package dev.agentmemory.it;

import dev.agentmemory.postgres.PostgresStoreOptions;

/**
 * The same contract with the exact-scan cap at 0: every similarity search walks the HNSW index
 * (and falls back to the exact scan only when the walk comes back short), the path that large
 * tables take.
 */
class PostgresMemoryStoresIndexPathIT extends PostgresMemoryStoresIT {

    @Override
    protected PostgresStoreOptions options() {
        return PostgresStoreOptions.builder().exactScanMax(0).build();
    }
}
