/**
 * agent-memory as Spring AI tools: {@link dev.agentmemory.spring.ai.AgentMemoryTools}, offered to
 * a {@code ChatClient} by the starter when Spring AI is on the class path.
 */
@NullMarked
package dev.agentmemory.spring.ai;

import org.jspecify.annotations.NullMarked;
