/**
 * The {@code agent-memory} command line ({@link dev.agentmemory.cli.AgentMemoryCli}) and the
 * embedding server it runs for {@code serve-embeddings} ({@link dev.agentmemory.cli.EmbeddingServer}).
 */
@NullMarked
package dev.agentmemory.cli;

import org.jspecify.annotations.NullMarked;
