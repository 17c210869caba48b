/**
 * Embedders that call a server over HTTP: {@link dev.agentmemory.embedding.ollama.EmbeddingClient}
 * for agent-memory's own embedding service and {@link dev.agentmemory.embedding.ollama.OllamaEmbedder}
 * for an Ollama server.
 *
 * <p>Both retry what can succeed on a second try (connection failures, timeouts, 429 and 5xx) with
 * exponential backoff and jitter, stop calling a service that keeps failing (a circuit breaker), and
 * cap the requests in flight (a bulkhead). Every failure reaches the caller as an
 * {@link dev.agentmemory.api.EmbeddingException}.
 */
@NullMarked
package dev.agentmemory.embedding.ollama;

import org.jspecify.annotations.NullMarked;
