/**
 * The public surface of agent-memory: the models ({@link dev.agentmemory.api.Episode},
 * {@link dev.agentmemory.api.Strategy}, {@link dev.agentmemory.api.WorkingMemorySession}), the
 * stores ({@link dev.agentmemory.api.AgentMemoryStore}, {@link dev.agentmemory.api.KnowledgeStore},
 * {@link dev.agentmemory.api.WorkingMemory}), the {@link dev.agentmemory.api.Embedder} and the
 * exceptions, all rooted at {@link dev.agentmemory.api.MemoryException}.
 *
 * <p>Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.agentmemory.api;

import org.jspecify.annotations.NullMarked;
