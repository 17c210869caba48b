/**
 * The agent-memory server: one {@link dev.agentmemory.core.AgentMemorySystem} served to agents in
 * any language over REST ({@link dev.agentmemory.server.Routes}) and MCP
 * ({@link dev.agentmemory.server.McpTools}), on Jetty ({@link dev.agentmemory.server.MemoryServer}).
 */
@NullMarked
package dev.agentmemory.server;

import org.jspecify.annotations.NullMarked;
