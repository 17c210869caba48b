package dev.agentmemory.inmemory;

import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.testkit.MemoryStoresContract;

/** The stores' shared contract on the in-memory backend. */
class InMemoryMemoryStoresTest extends MemoryStoresContract {

    @Override
    protected MemoryStores openStores(int dimensions) {
        return new InMemoryStoreProvider().open(dimensions, InMemoryStoreOptions.ofDefaults());
    }
}
