package dev.agentmemory.bench;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A peer's vector store, seen through what the side-by-side benchmark asks of every store: add
 * vectors with their text and metadata, and find the nearest, optionally within one project.
 */
interface PeerStore extends AutoCloseable {

    /** @return the peer's name in the report */
    String name();

    /**
     * @param ids one id per vector
     * @param vectors the precomputed vectors
     * @param texts the episode texts
     * @param metadata the episodes' metadata, {@code project_id} among them
     */
    void addAll(List<UUID> ids, List<float[]> vectors, List<String> texts, List<Map<String, Object>> metadata);

    /**
     * @param query the query vector
     * @param projectId only this project, or null
     * @param k how many
     * @return the ids found, nearest first
     */
    List<UUID> search(float[] query, @Nullable String projectId, int k);

    @Override
    void close();
}
