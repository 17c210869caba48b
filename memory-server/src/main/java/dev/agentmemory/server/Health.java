package dev.agentmemory.server;

import dev.agentmemory.core.AgentMemorySystem;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/health}: asks the store for an id that is never stored, on threads of its own
 * and with a short timeout, so that it answers while the memory's workers are all busy.
 */
final class Health {
    private static final Logger log = LoggerFactory.getLogger(Health.class);
    private static final UUID PROBE = new UUID(0, 0);

    private final AgentMemorySystem memory;
    private final ExecutorService executor;
    private final Duration timeout;

    Health(AgentMemorySystem memory, ExecutorService executor, Duration timeout) {
        this.memory = memory;
        this.executor = executor;
        this.timeout = timeout;
    }

    Route.Reply check() {
        Map<String, Object> body = new LinkedHashMap<>();
        long started = System.nanoTime();
        String problem = null;
        try {
            Future<?> f = executor.submit(() -> memory.episodes().getEpisodeById(PROBE));
            try {
                f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                problem = "the store did not answer within " + timeout.toMillis() + " ms";
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            problem = "the store failed: " + cause.getMessage();
            log.warn("health check failed: {}", cause.toString());
        }
        body.put("status", problem == null ? "up" : "down");
        body.put("store", memory.episodes().getClass().getSimpleName());
        body.put("checkMillis", (System.nanoTime() - started) / 1_000_000);
        if (problem != null) {
            body.put("error", problem);
        }
        return new Route.Reply(problem == null ? 200 : 503, Routes.JSON, body);
    }
}
