package dev.agentmemory.spring.ai;

import dev.agentmemory.core.AgentMemorySystem;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.ai.tool.method.MethodToolCallbackProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;

/**
 * The memory's Spring AI tools, when Spring AI is on the class path: the {@link AgentMemoryTools}
 * bean and a {@link ToolCallbackProvider} of its five tools, which Spring AI's tool resolution
 * (and its MCP server, where the application runs one) picks up by name.
 * {@code agent-memory.tools.enabled=false} turns them off.
 */
@AutoConfiguration(afterName = "dev.agentmemory.spring.boot.AgentMemoryAutoConfiguration")
@ConditionalOnClass(ToolCallbackProvider.class)
@ConditionalOnSingleCandidate(AgentMemorySystem.class)
@ConditionalOnProperty(prefix = "agent-memory.tools", name = "enabled", matchIfMissing = true)
public class AgentMemoryToolsAutoConfiguration {

    /**
     * @param memory the memory
     * @return the tools, for {@code ChatClient.Builder.defaultTools(...)}
     */
    @Bean
    @ConditionalOnMissingBean
    public AgentMemoryTools agentMemoryTools(AgentMemorySystem memory) {
        return new AgentMemoryTools(memory);
    }

    /**
     * @param tools the tools
     * @return their callbacks, for {@code ChatClient.Builder.defaultToolCallbacks(...)}
     */
    @Bean
    @ConditionalOnMissingBean(name = "agentMemoryToolCallbacks")
    public ToolCallbackProvider agentMemoryToolCallbacks(AgentMemoryTools tools) {
        return MethodToolCallbackProvider.builder().toolObjects(tools).build();
    }
}
