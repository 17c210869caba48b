package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.it.ServerClients.Run;
import dev.agentmemory.server.ApiKeys;
import dev.agentmemory.server.MemoryServer;
import dev.agentmemory.server.ServerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The README's server examples, run as they are: the Python agent (standard library only) over
 * REST, and the MCP TypeScript SDK client over Streamable HTTP and over stdio. The README holds
 * the files verbatim, which this test checks too.
 */
@Timeout(value = 4, unit = java.util.concurrent.TimeUnit.MINUTES)
class ServerReadmeExamplesIT {

    private static final String KEY = "readme-" + UUID.randomUUID();

    @Test
    void theReadmeHoldsTheExamplesVerbatim() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        for (String example : List.of("python_agent.py", "mcp_agent.mjs")) {
            String code = Files.readString(ServerClients.EXAMPLES.resolve(example));
            assertThat(readme).as(example + " in README.md").contains(code);
        }
    }

    @Test
    void thePythonAgentAndTheMcpClientRunAgainstTheServer() throws Exception {
        try (AgentMemorySystem memory = AgentMemory.builder().store("inmemory").build();
             MemoryServer server = MemoryServer.builder(memory).settings(ServerSettings.builder().port(0).build())
                     .keys(ApiKeys.fromEnvironment(Map.of(ApiKeys.KEY_VARIABLE, KEY))).build().start()) {
            Map<String, String> env = Map.of("AGENT_MEMORY_URL", server.url(), "AGENT_MEMORY_API_KEY", KEY);
            Run python = ServerClients.run(List.of("python3", ServerClients.EXAMPLES.resolve("python_agent.py").toString()),
                    env, 120);
            assertThat(python.exit()).as(python.out() + python.err()).isZero();
            assertThat(python.out()).contains("remembered ").contains("similar ").contains("advice {'create_sprint': True")
                    .contains("refused: 400 outcomeQuality: 1.5 is outside [0,1]");
            assertThat(memory.episodes().countEpisodes("project-a")).isEqualTo(1);

            Run mcp = ServerClients.run(List.of("node", ServerClients.EXAMPLES.resolve("mcp_agent.mjs").toString()), env, 120);
            assertThat(mcp.exit()).as(mcp.out() + mcp.err()).isZero();
            assertThat(mcp.out()).contains("tools: remember_decision, recall_similar_situations, record_outcome,"
                    + " get_learned_strategies, advise").contains("similar ").contains("advice {\"advice\":[");
            assertThat(memory.episodes().countEpisodes("project-b")).isEqualTo(1);

            Run noKey = ServerClients.run(List.of("python3", ServerClients.EXAMPLES.resolve("python_agent.py").toString()),
                    Map.of("AGENT_MEMORY_URL", server.url()), 120);
            assertThat(noKey.exit()).isNotZero();
            assertThat(noKey.err()).contains("401");
        }
    }

    @Test
    void theMcpClientStartsAgentMemoryMcpOverStdio() {
        String command = String.join(" ", ServerClients.cliCommand("mcp"));
        Run mcp = ServerClients.run(List.of("node", ServerClients.EXAMPLES.resolve("mcp_agent.mjs").toString()),
                Map.of("AGENT_MEMORY_MCP_COMMAND", command), 180);
        assertThat(mcp.exit()).as(mcp.out() + mcp.err()).isZero();
        assertThat(mcp.out()).contains("remembered ").contains("similar ").contains("advice {\"advice\":[");
    }
}
