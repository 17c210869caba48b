/**
 * Spring Boot auto-configuration of agent-memory: an {@link dev.agentmemory.core.AgentMemorySystem}
 * from {@code agent-memory.*} properties ({@link dev.agentmemory.spring.boot.AgentMemoryProperties}),
 * its health contributor and its meters.
 */
@NullMarked
package dev.agentmemory.spring.boot;

import org.jspecify.annotations.NullMarked;
