package dev.agentmemory.cli;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.core.Providers;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agent-memory serve-embeddings}: serves an embedder (the local model by default) over HTTP
 * in the embedding service's wire format and Ollama's {@code /api/embed}, until stopped.
 */
@Command(
        name = "serve-embeddings",
        header = "Serves an embedder over HTTP.",
        mixinStandardHelpOptions = true,
        description = {
                "Serves an embedder over HTTP until stopped (Ctrl-C):",
                "  POST /embed {\"text\": ...}, POST /embed/batch {\"texts\": [...]}, GET /health,",
                "  and Ollama's POST /api/embed {\"model\": ..., \"input\": [...]}.",
                "A request may hold up to 2 MB and 256 texts (413 beyond); when --threads requests are embedding, "
                        + "another waits a second, then gets 429 with Retry-After."
        })
final class ServeEmbeddingsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = EmbeddingServer.DEFAULT_HOST,
            description = "The address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    private String host = EmbeddingServer.DEFAULT_HOST;

    private int port = EmbeddingServer.DEFAULT_PORT;

    @Option(names = "--embedder", paramLabel = "NAME", defaultValue = "onnx",
            description = "The embedder to serve, by provider name: onnx (the local model), service, ollama"
                    + " (default: ${DEFAULT-VALUE}).")
    private String embedderName = "onnx";

    @Option(names = "--url", paramLabel = "URL",
            description = "The URL of the embedder's own server, for --embedder service or ollama.")
    private @Nullable String url;

    @Option(names = "--model", paramLabel = "NAME", description = "The model, for --embedder ollama.")
    private @Nullable String model;

    private int threads = EmbeddingServer.DEFAULT_THREADS;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + EmbeddingServer.DEFAULT_PORT,
            description = "The port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    void port(int value) {
        if (value < 0 || value > 65_535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port: " + value + " is outside 0 to 65535");
        }
        this.port = value;
    }

    @Option(names = "--threads", paramLabel = "N", defaultValue = "" + EmbeddingServer.DEFAULT_THREADS,
            description = "Request threads (default: ${DEFAULT-VALUE}).")
    void threads(int value) {
        if (value < 1 || value > 64) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads: " + value + " is outside 1 to 64");
        }
        this.threads = value;
    }

    @Override
    public Integer call() throws Exception {
        EmbedderConfig.Builder config = EmbedderConfig.builder();
        if (url != null) {
            config.url(url);
        }
        if (model != null) {
            config.model(model);
        }
        Embedder embedder = Providers.embedder(embedderName).create(config.build());
        try {
            // Loads the model (or reaches the remote embedder) before the port opens, so the first
            // request does not pay for it and a broken embedder fails here, not per request.
            if (!embedder.healthCheck()) {
                throw new EmbeddingException("embedder '" + embedderName + "' failed its health check: " + embedder, null);
            }
            try (EmbeddingServer server = new EmbeddingServer(embedder, host, port, threads).start()) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("serving embeddings of " + embedder.modelName() + " (" + embedder.dimensions()
                        + " dims) on " + server.url());
                out.flush();
                awaitShutdown(server);
            }
            return 0;
        } finally {
            if (embedder instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C, SIGTERM) or this thread is interrupted. */
    private static void awaitShutdown(EmbeddingServer server) {
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "serve-embeddings-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down and runs the hook
            }
        }
    }
}
