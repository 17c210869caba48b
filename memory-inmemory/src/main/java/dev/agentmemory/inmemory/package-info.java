/**
 * In-memory stores: {@link dev.agentmemory.inmemory.InMemoryAgentMemoryStore} (exact cosine
 * search), {@link dev.agentmemory.inmemory.InMemoryKnowledgeStore} and
 * {@link dev.agentmemory.inmemory.InMemoryWorkingMemory}, plain classes that a user can construct by
 * hand, and {@link dev.agentmemory.inmemory.InMemoryStoreProvider}, which opens all three under the
 * name {@code "inmemory"}. Everything is safe for concurrent use and lost when the JVM stops.
 */
@NullMarked
package dev.agentmemory.inmemory;

import org.jspecify.annotations.NullMarked;
