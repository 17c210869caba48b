/**
 * The in-process embedder: {@link dev.agentmemory.embedding.onnx.OnnxEmbedder} runs a pretrained
 * sentence-embedding model (quantised bge-small-en-v1.5 by default, or quantised all-MiniLM-L6-v2;
 * 384 dimensions) with ONNX Runtime, offline, and is agent-memory's default embedder.
 * {@link dev.agentmemory.embedding.onnx.OnnxEmbedderProvider} offers it to
 * {@link java.util.ServiceLoader} under the name {@code "onnx"}.
 *
 * <p>Everything here is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.agentmemory.embedding.onnx;

import org.jspecify.annotations.NullMarked;
