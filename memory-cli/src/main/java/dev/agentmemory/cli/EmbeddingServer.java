package dev.agentmemory.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.MemoryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves any {@link Embedder} over HTTP, in two wire formats:
 * <ul>
 *   <li>the embedding service's, which {@code EmbeddingClient} speaks:
 *       {@code POST /embed} {@code {"text": "..."}} → {@code {"embedding": [...], "dimensions": n,
 *       "generation_time_ms": t}}; {@code POST /embed/batch} {@code {"texts": [...]}} →
 *       {@code {"embeddings": [[...], ...], "dimensions": n, "generation_time_ms": t}};
 *       {@code GET /health} → {@code {"status": "healthy", "model": "...", "dimensions": n}}</li>
 *   <li>Ollama's {@code POST /api/embed} {@code {"model": "...", "input": "..." or [...]}} →
 *       {@code {"model": "...", "embeddings": [[...], ...], "total_duration": ns}}</li>
 * </ul>
 *
 * <p>Bad requests get 400 (bad JSON, a missing or blank text), 404 (an unknown path or model), 405
 * (a wrong method) or 413 (a body over {@value #MAX_BODY_BYTES} bytes, more than
 * {@value #MAX_BATCH} texts); a failing embedder gets 503 when the failure may pass and 500
 * otherwise. Every error body is {@code {"error": "..."}}. Each request is logged in one line at
 * debug level.
 *
 * <p>One client must not be able to take the server down, so the cost of a request is bounded:
 * its body and its number of texts as above, and at most as many requests embed at once as the
 * server has threads; a request that finds them all busy for {@value #ADMIT_WAIT_MILLIS} ms gets
 * 429 with {@code Retry-After}, which the library's clients retry.
 *
 * <pre>{@code
 * try (EmbeddingServer server = new EmbeddingServer(embedder, "127.0.0.1", 0).start()) {
 *     String url = server.url(); // http://127.0.0.1:<bound port>
 * }
 * }</pre>
 */
public final class EmbeddingServer implements AutoCloseable {

    /** The address served unless told otherwise: this machine only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The port of {@code serve-embeddings} unless told otherwise. */
    public static final int DEFAULT_PORT = 8088;
    /** The default number of request threads. */
    public static final int DEFAULT_THREADS = 4;
    /** The largest request body accepted: room for {@value #MAX_BATCH} texts of 8 KB. */
    public static final int MAX_BODY_BYTES = 2 * 1024 * 1024;
    /** The most texts in one request: four times the batch the library's clients send. */
    public static final int MAX_BATCH = 256;
    /** How long a request waits for one of the busy embedding threads before it gets 429. */
    public static final long ADMIT_WAIT_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddingServer.class);
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static {
        // The JDK's server writes the headers and the body of an answer separately; with Nagle's
        // algorithm on, the body then waits for the client's delayed ACK, some 40 ms per request.
        // The JDK reads this property once, when its first HttpServer is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final Embedder embedder;
    private final String host;
    private final int requestedPort;
    private final int threads;
    private @Nullable HttpServer server;
    private @Nullable ExecutorService executor;
    private final AtomicInteger inFlight = new AtomicInteger();
    // Requests that embed at once; the other request threads answer /health and 429.
    private final Semaphore embedding;

    /**
     * A server of {@value #DEFAULT_THREADS} threads; call {@link #start()}.
     *
     * @param embedder what embeds; the server does not close it
     * @param host the address to bind, such as {@value #DEFAULT_HOST}
     * @param port the port, or 0 for any free one (see {@link #port()})
     */
    public EmbeddingServer(Embedder embedder, String host, int port) {
        this(embedder, host, port, DEFAULT_THREADS);
    }

    /**
     * @param embedder what embeds; the server does not close it
     * @param host the address to bind
     * @param port the port, or 0 for any free one
     * @param threads request threads, 1 to 64
     */
    public EmbeddingServer(Embedder embedder, String host, int port, int threads) {
        if (embedder == null) {
            throw new InvalidInputException("embedder", "is required");
        }
        if (host == null || host.isBlank()) {
            throw new InvalidInputException("host", "is required");
        }
        if (port < 0 || port > 65_535) {
            throw new InvalidInputException("port", port + " is outside 0 to 65535");
        }
        if (threads < 1 || threads > 64) {
            throw new InvalidInputException("threads", threads + " is outside 1 to 64");
        }
        this.embedder = embedder;
        this.host = host.trim();
        this.requestedPort = port;
        this.threads = threads;
        this.embedding = new Semaphore(threads);
    }

    /**
     * Binds the address and starts answering.
     *
     * @return this server
     * @throws ConfigurationException when the address cannot be bound (the port is taken, the host
     *     is not an address of this machine)
     */
    public synchronized EmbeddingServer start() {
        if (server != null) {
            return this;
        }
        HttpServer s;
        try {
            s = HttpServer.create(new InetSocketAddress(host, requestedPort), 64);
        } catch (BindException e) {
            throw new ConfigurationException("cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage()
                    + " (is another server on that port? choose one with --port)", e);
        } catch (IOException | RuntimeException e) {
            throw new ConfigurationException("cannot listen on " + host + ":" + requestedPort + ": " + e, e);
        }
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, "embedding-server-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // Twice the embedding threads: a request over the limit is still answered (429), not queued.
        ExecutorService pool = Executors.newFixedThreadPool(2 * threads, factory);
        s.createContext("/", this::handle);
        s.setExecutor(pool);
        s.start();
        this.server = s;
        this.executor = pool;
        LOG.debug("embedding server listening on {}", url());
        return this;
    }

    /**
     * @return the bound port; the actual one when 0 was asked for
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("the server is not started");
        }
        return server.getAddress().getPort();
    }

    /** @return {@code http://host:port}, with the bound port */
    public String url() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + h + ":" + port();
    }

    /** Stops answering, lets requests in progress finish for up to a second, and frees the port. */
    @Override
    public synchronized void close() {
        HttpServer s = server;
        ExecutorService pool = executor;
        server = null;
        executor = null;
        if (s != null) {
            // The JDK's server waits out the whole delay even when idle: wait only for real work.
            s.stop(inFlight.get() > 0 ? 1 : 0);
        }
        if (pool != null) {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                    pool.shutdownNow();
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        int status;
        inFlight.incrementAndGet();
        try (exchange) {
            Answer answer = route(method, path, exchange);
            status = answer.status();
            if (answer.allow() != null) {
                exchange.getResponseHeaders().set("Allow", answer.allow());
            }
            if (status == 429) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            byte[] body = JSON.writeValueAsBytes(answer.body());
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (IOException e) {
            // The client went away before the answer was written: nothing left to tell it.
            LOG.debug("{} {} could not be answered: {}", method, path, e.toString());
            return;
        } finally {
            inFlight.decrementAndGet();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {} {} {} ms", method, path, status, (System.nanoTime() - start) / 1_000_000);
        }
    }

    private record Answer(int status, Object body, @Nullable String allow) {
        static Answer ok(Object body) {
            return new Answer(200, body, null);
        }

        static Answer error(int status, String message) {
            return new Answer(status, Map.of("error", message), null);
        }
    }

    private Answer route(String method, String path, HttpExchange exchange) {
        String allowed = switch (path) {
            case "/health" -> "GET";
            case "/embed", "/embed/batch", "/api/embed" -> "POST";
            default -> null;
        };
        if (allowed == null) {
            return Answer.error(404, "no such path: " + path + "; this server answers GET /health, POST /embed,"
                    + " POST /embed/batch and POST /api/embed");
        }
        if (!method.equals(allowed)) {
            return new Answer(405, Map.of("error", method + " is not allowed on " + path + "; use " + allowed), allowed);
        }
        if (path.equals("/health")) {
            return health();
        }
        try {
            if (!embedding.tryAcquire(ADMIT_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                return Answer.error(429, "the server is busy: " + threads + " requests are being embedded, as many as it"
                        + " embeds at once; try again in a second");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Answer.error(503, "the server is stopping");
        }
        try {
            return switch (path) {
                case "/embed" -> embed(readJson(exchange));
                case "/embed/batch" -> embedBatch(readJson(exchange));
                default -> ollamaEmbed(readJson(exchange));
            };
        } catch (BadRequest e) {
            return Answer.error(e.status, String.valueOf(e.getMessage()));
        } catch (InvalidInputException e) {
            return Answer.error(400, String.valueOf(e.getMessage()));
        } catch (MemoryException e) {
            int status = e.isTransient() ? 503 : 500;
            LOG.warn("{} {} failed: {}", method, path, e.getMessage());
            return Answer.error(status, "embedding failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("{} {} failed", method, path, e);
            return Answer.error(500, "embedding failed: " + e);
        } finally {
            embedding.release();
        }
    }

    private Answer health() {
        Map<String, Object> body = new LinkedHashMap<>();
        boolean healthy = embedder.healthCheck();
        body.put("status", healthy ? "healthy" : "unhealthy");
        try {
            body.put("model", embedder.modelName());
            body.put("dimensions", embedder.dimensions());
        } catch (MemoryException e) {
            body.put("status", "unhealthy");
            body.put("error", e.getMessage());
        }
        return new Answer("healthy".equals(body.get("status")) ? 200 : 503, body, null);
    }

    private Answer embed(JsonNode request) {
        String text = text(request.get("text"), "text");
        long start = System.nanoTime();
        float[] vector = embedder.embed(text);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("embedding", vector);
        body.put("dimensions", vector.length);
        body.put("generation_time_ms", millis(start));
        return Answer.ok(body);
    }

    private Answer embedBatch(JsonNode request) {
        List<String> texts = texts(request.get("texts"), "texts");
        if (texts.isEmpty()) {
            throw new BadRequest(400, "texts: is empty; send at least one text");
        }
        long start = System.nanoTime();
        List<float[]> vectors = embedder.embedAll(texts);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("embeddings", vectors);
        body.put("dimensions", vectors.get(0).length);
        body.put("generation_time_ms", millis(start));
        return Answer.ok(body);
    }

    /** Ollama's /api/embed: "input" is one text or a list; "truncate", "keep_alive", "options" are accepted. */
    private Answer ollamaEmbed(JsonNode request) {
        JsonNode model = request.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw new BadRequest(400, "model is required");
        }
        String served = embedder.modelName();
        String asked = model.asText().trim();
        if (!asked.equals(served) && !asked.equals(served + ":latest")) {
            throw new BadRequest(404, "model \"" + asked + "\" not found; this server embeds with \"" + served + "\"");
        }
        JsonNode input = request.get("input");
        List<String> texts;
        if (input != null && input.isTextual()) {
            texts = List.of(text(input, "input"));
        } else {
            texts = texts(input, "input");
        }
        long start = System.nanoTime();
        List<float[]> vectors = texts.isEmpty() ? List.of() : embedder.embedAll(texts);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", served);
        body.put("embeddings", vectors);
        body.put("total_duration", System.nanoTime() - start);
        body.put("load_duration", 0);
        return Answer.ok(body);
    }

    private static double millis(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1_000.0) / 1_000.0;
    }

    private static String text(@Nullable JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new BadRequest(400, field + ": is required");
        }
        if (!node.isTextual()) {
            throw new BadRequest(400, field + ": must be a string, not " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (node.asText().isBlank()) {
            throw new BadRequest(400, field + ": is blank; there is nothing to embed");
        }
        return node.asText();
    }

    private static List<String> texts(@Nullable JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new BadRequest(400, field + ": is required");
        }
        if (!node.isArray()) {
            throw new BadRequest(400, field + ": must be a list of strings");
        }
        if (node.size() > MAX_BATCH) {
            throw new BadRequest(413, field + ": " + node.size() + " texts are more than the " + MAX_BATCH
                    + " this server embeds in one request; send them in batches of " + MAX_BATCH + " or fewer");
        }
        List<String> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(text(node.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static JsonNode readJson(HttpExchange exchange) {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new BadRequest(400, "could not read the request body: " + e.getMessage());
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new BadRequest(413, "the request body is more than " + MAX_BODY_BYTES + " bytes (" + MAX_BODY_BYTES
                    / (1024 * 1024) + " MB), the most this server reads; send fewer texts per request, or shorter ones:"
                    + " a model reads only a text's beginning (the local model its first 512 word pieces)");
        }
        if (bytes.length == 0) {
            throw new BadRequest(400, "the request body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new BadRequest(400, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadRequest(400, "the request body is not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new BadRequest(400, "the request body must be a JSON object");
        }
        return node;
    }

    /** A request the server will not serve; its message goes back to the caller. */
    private static final class BadRequest extends MemoryException {
        private static final long serialVersionUID = 1L;
        private final int status;

        BadRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    @Override
    public String toString() {
        return "EmbeddingServer{" + host + ":" + requestedPort + ", " + embedder + "}";
    }
}
