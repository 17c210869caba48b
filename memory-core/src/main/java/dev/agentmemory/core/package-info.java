/**
 * The memory system agents call: {@link dev.agentmemory.core.AgentMemorySystem}, built by
 * {@link dev.agentmemory.core.AgentMemory#builder()} or injected through
 * {@link dev.agentmemory.core.AgentMemoryModule}; {@link dev.agentmemory.core.EpisodeEmbedder}
 * renders episodes and situations as text for the embedder.
 */
@NullMarked
package dev.agentmemory.core;

import org.jspecify.annotations.NullMarked;
