package dev.agentmemory.api.spi;

import java.util.OptionalInt;

/**
 * A {@link StoreProvider} whose stored data outlives the process can change the vector size of an
 * existing store, for a new embedding model that makes vectors of another size. Stores are opened
 * for one size and refuse another, so the change is made here, before they are opened for the new
 * size.
 */
public interface DimensionChange {

    /**
     * @param config where the store is; its {@link StoreConfig#dimensions()} is not read
     * @return the vector size the existing store was created for, or empty when there is none yet
     */
    OptionalInt storedDimensions(StoreConfig config);

    /**
     * Changes the vector size of the existing store to {@link StoreConfig#dimensions()}, in one
     * step that either happens whole or not at all: every stored vector is dropped (each episode
     * becomes pending embedding), the vector columns and their indexes take the new size, the new
     * size is recorded and so is {@code model}, as {@link StoreMaintenance#clearEmbeddings} records
     * it. Nothing happens when the size is already the new one.
     *
     * @param config where the store is, and the new size
     * @param model the embedding model that makes vectors of the new size
     * @return the size before the change
     * @throws dev.agentmemory.api.ConfigurationException when there is no store to change
     */
    int changeDimensions(StoreConfig config, String model);
}
