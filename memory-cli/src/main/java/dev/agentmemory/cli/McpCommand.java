package dev.agentmemory.cli;

import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.server.McpTools;
import dev.agentmemory.server.MemoryApi;
import dev.agentmemory.server.ServerSettings;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import java.io.FilterInputStream;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Command;

/**
 * {@code agent-memory mcp}: the memory's MCP tools over stdio, for a client that starts the server
 * itself. Standard output carries only MCP messages (logs go to standard error); it ends when the
 * client closes standard input. No keys: whoever started the process already holds the machine.
 */
@Command(name = "mcp",
        header = "Serves the memory's MCP tools over stdio.", mixinStandardHelpOptions = true,
        description = {"For MCP clients that start the server themselves: JSON-RPC on standard input and output,"
                + " on the store and embedder every command uses. Ends when standard input closes."})
final class McpCommand extends MemoryCommand {

    @Override
    boolean writes() {
        return true;
    }

    @Override
    public Integer call() throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        InputStream in = new FilterInputStream(context.stdin()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b < 0) {
                    closed.countDown();
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n < 0) {
                    closed.countDown();
                }
                return n;
            }
        };
        // The raw descriptor: picocli's writer and System.out may be wrapped or buffered.
        OutputStream out = new FileOutputStream(FileDescriptor.out);
        ServerSettings settings = ServerSettings.defaults();
        ExecutorService workers = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "agent-memory-mcp-worker");
            t.setDaemon(true);
            return t;
        });
        try (AgentMemorySystem memory = open()) {
            McpSyncServer server = McpTools.serve(new StdioServerTransportProvider(McpTools.JSON, in, out),
                    new MemoryApi(memory, settings, workers), settings);
            noteWhatIsLost();
            closed.await();
            server.closeGracefully();
        } finally {
            workers.shutdown();
        }
        return 0;
    }
}
