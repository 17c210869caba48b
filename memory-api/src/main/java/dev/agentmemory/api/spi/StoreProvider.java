package dev.agentmemory.api.spi;

/**
 * A store backend, found with {@link java.util.ServiceLoader}. Register an implementation in
 * {@code META-INF/services/dev.agentmemory.api.spi.StoreProvider}.
 */
public interface StoreProvider {

    /** @return the name users configure: "postgres", "inmemory" */
    String name();

    /**
     * Opens the stores. The caller closes the result.
     *
     * @param config the configuration
     * @return the stores of this backend
     * @throws dev.agentmemory.api.ConfigurationException when the configuration does not fit
     */
    MemoryStores open(StoreConfig config);
}
