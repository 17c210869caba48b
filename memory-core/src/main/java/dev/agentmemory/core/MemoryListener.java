package dev.agentmemory.core;

import java.time.Duration;

/**
 * Told what an {@link AgentMemorySystem} did and how long it took: the seam for metrics (the
 * Micrometer binding in {@code memory-micrometer} is one), tracing or logs, with no dependency
 * on any of them here.
 *
 * <p>Every method has an empty default, so a listener implements only what it needs. Methods are
 * called on the caller's thread after the operation completed; an operation that throws is not
 * reported. They must be quick and thread-safe. An exception a listener throws is logged and
 * ignored: it never fails the memory call. Register listeners with
 * {@link AgentMemory.Builder#listener(MemoryListener)} or {@link AgentMemorySystem#addListener}.
 */
public interface MemoryListener {

    /**
     * After {@link AgentMemorySystem#rememberDecision} or {@link AgentMemorySystem#rememberDecisions}.
     *
     * @param took how long the call took, embedding included
     * @param episodes how many episodes were stored
     * @param embedded whether they were stored with their vectors (false: pending embedding,
     *     because the embedder failed)
     */
    default void onRemember(Duration took, int episodes, boolean embedded) {
    }

    /**
     * After a recall of similar situations.
     *
     * @param took how long the call took, embedding the context included
     * @param results how many episodes it returned
     */
    default void onRecall(Duration took, int results) {
    }

    /**
     * After {@link AgentMemorySystem#getLearnedStrategies}.
     *
     * @param took how long the call took
     * @param results how many strategies it returned
     */
    default void onStrategies(Duration took, int results) {
    }

    /**
     * After {@link AgentMemorySystem#recordOutcome}.
     *
     * @param took how long the call took, the strategies' evidence included
     */
    default void onOutcome(Duration took) {
    }

    /**
     * After each call that reached the embedder (a text the embedding cache answered does not).
     *
     * @param took how long the embedder took
     * @param texts how many texts it embedded
     */
    default void onEmbedding(Duration took, int texts) {
    }

    /**
     * After {@link AgentMemorySystem#backfillEmbeddings()}, by hand or in the background.
     *
     * @param took how long the backfill took
     * @param embedded how many episodes it embedded
     */
    default void onBackfill(Duration took, int embedded) {
    }
}
