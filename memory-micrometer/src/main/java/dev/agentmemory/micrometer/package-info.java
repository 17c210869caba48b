/**
 * Micrometer meters for an {@link dev.agentmemory.core.AgentMemorySystem}:
 * {@link dev.agentmemory.micrometer.AgentMemoryMetrics} binds them to any
 * {@link io.micrometer.core.instrument.MeterRegistry}, through
 * {@link dev.agentmemory.micrometer.MicrometerMemoryListener}.
 */
@NullMarked
package dev.agentmemory.micrometer;

import org.jspecify.annotations.NullMarked;
