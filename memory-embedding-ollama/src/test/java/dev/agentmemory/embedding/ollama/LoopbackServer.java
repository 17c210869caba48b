package dev.agentmemory.embedding.ollama;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP server on 127.0.0.1 that answers each request as a script says: a status and a body,
 * after a delay, or held until the test opens a gate. It counts the requests (attempts), keeps
 * their bodies and paths, and tracks how many are in flight at once.
 */
final class LoopbackServer implements AutoCloseable {

    /** How to answer the n-th request (1-based). */
    @FunctionalInterface
    interface Script {
        Reply reply(int attempt, String path, String body);
    }

    /** One answer. */
    record Reply(int status, String body, Duration delay, boolean waitForGate) {
        static Reply json(int status, String body) {
            return new Reply(status, body, Duration.ZERO, false);
        }

        static Reply ok(String body) {
            return json(200, body);
        }

        Reply after(Duration d) {
            return new Reply(status, body, d, waitForGate);
        }

        Reply gated() {
            return new Reply(status, body, delay, true);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Script script;
    private final AtomicInteger attempts = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final List<String> bodies = Collections.synchronizedList(new ArrayList<>());
    private final List<String> paths = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch gate = new CountDownLatch(1);

    LoopbackServer(Script script) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A server that answers every request the same way. */
    static LoopbackServer always(Reply reply) throws IOException {
        return new LoopbackServer((n, path, body) -> reply);
    }

    private void handle(HttpExchange exchange) throws IOException {
        int n = attempts.incrementAndGet();
        int now = inFlight.incrementAndGet();
        maxInFlight.accumulateAndGet(now, Math::max);
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            bodies.add(body);
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            Reply reply = script.reply(n, exchange.getRequestURI().getPath(), body);
            if (reply.waitForGate()) {
                gate.await(30, TimeUnit.SECONDS);
            }
            if (!reply.delay().isZero()) {
                Thread.sleep(reply.delay().toMillis());
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client gave up (timeout): nothing to answer
        } finally {
            inFlight.decrementAndGet();
        }
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    int attempts() {
        return attempts.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    int maxInFlight() {
        return maxInFlight.get();
    }

    List<String> bodies() {
        synchronized (bodies) {
            return List.copyOf(bodies);
        }
    }

    List<String> paths() {
        synchronized (paths) {
            return List.copyOf(paths);
        }
    }

    /** Lets every gated request answer. */
    void openGate() {
        gate.countDown();
    }

    @Override
    public void close() {
        gate.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
