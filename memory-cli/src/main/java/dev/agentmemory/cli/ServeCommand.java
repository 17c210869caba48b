package dev.agentmemory.cli;

import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.micrometer.AgentMemoryMetrics;
import io.micrometer.core.instrument.Tags;
import dev.agentmemory.server.ApiKeys;
import dev.agentmemory.server.MemoryServer;
import dev.agentmemory.server.ServerSettings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code agent-memory serve}: the memory over REST and MCP (Streamable HTTP at {@code /mcp}) on
 * one port, until SIGTERM or Ctrl-C, which stop it gracefully: no new requests, those in flight
 * finished, then the store closed.
 */
@Command(name = "serve",
        header = "Serves the memory over REST and MCP on one port.", mixinStandardHelpOptions = true,
        description = {"REST under /v1 (the description at /v1/openapi.json), MCP (Streamable HTTP) at /mcp,"
                + " Prometheus metrics at /metrics, on the store and embedder every command uses.",
                "Keys: with AGENT_MEMORY_API_KEY set every request needs 'Authorization: Bearer <key>';"
                        + " AGENT_MEMORY_API_KEYS_FILE holds lines '<key> <project pattern>[,<pattern>...]'."
                        + " Without a key it listens on a loopback address only."})
final class ServeCommand extends MemoryCommand {

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port to listen on; 0 picks a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--request-timeout", defaultValue = "30s", paramLabel = "DURATION",
            description = "A request to the memory that takes longer is answered 503 (default ${DEFAULT-VALUE}).")
    String requestTimeout;

    @Override
    boolean writes() {
        return true;
    }

    @Override
    public Integer call() throws InterruptedException {
        ServerSettings settings = ServerSettings.builder().host(host).port(port)
                .requestTimeout(ServerOptions.duration("--request-timeout", requestTimeout)).build();
        ApiKeys keys = ApiKeys.fromEnvironment(context.env());
        // Before the model loads: a refusal should not wait for it.
        MemoryServer.checkExposure(host, keys);
        AgentMemorySystem memory = open();
        MemoryServer server;
        try {
            server = MemoryServer.builder(memory).settings(settings).keys(keys)
                    // The memory's own meters (agent.memory.*) beside the server's per-route ones.
                    .meterBinder(new AgentMemoryMetrics(memory, Tags.empty()))
                    .build().start();
        } catch (RuntimeException e) {
            memory.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            err().println("agent-memory: stopping (finishing the requests in flight)");
            err().flush();
            server.stop();
            memory.close();
            err().println("agent-memory: stopped");
            err().flush();
            stopped.countDown();
        }, "agent-memory-shutdown"));
        out().println("agent-memory: serving " + memory.describe() + " on " + server.url()
                + " (REST /v1, MCP /mcp, metrics /metrics; " + (keys.required() ? keys.size() + " keys" : "no keys")
                + ")");
        out().flush();
        noteWhatIsLost();
        server.join();
        stopped.await();
        return 0;
    }
}
