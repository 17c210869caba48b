package dev.agentmemory.spring.boot;

import dev.agentmemory.api.CircuitBreaking;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.micrometer.AgentMemoryMetrics;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code agentMemory} health contributor: up while the store answers a read (of an id that is
 * never stored) within the timeout, down otherwise. The read runs on a thread of its own, so a
 * store that hangs makes the check fail on time instead of holding the health endpoint. Details:
 * {@code store}, {@code embedder}, and the embedder's circuit breaker when it has one (an open
 * circuit does not make the memory down: decisions are stored and embedded later).
 */
public final class AgentMemoryHealthIndicator implements HealthIndicator, AutoCloseable {

    private static final UUID PROBE = new UUID(0, 0);

    private final AgentMemorySystem memory;
    private final Duration timeout;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "agent-memory-health");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param memory the memory to check
     * @param timeout how long to wait for the store
     */
    public AgentMemoryHealthIndicator(AgentMemorySystem memory, Duration timeout) {
        this.memory = Objects.requireNonNull(memory, "memory");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new InvalidInputException("healthTimeout", timeout + " must be positive");
        }
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        Health.Builder health = new Health.Builder();
        for (Tag tag : AgentMemoryMetrics.tagsOf(memory)) {
            health.withDetail(tag.getKey(), tag.getValue());
        }
        AgentMemoryMetrics.circuitOf(memory.embedder()).map(CircuitBreaking::circuitState)
                .ifPresent(state -> health.withDetail("embedderCircuit", state.name().toLowerCase(Locale.ROOT)));
        Future<?> probe = executor.submit(() -> memory.episodes().getEpisodeById(PROBE));
        try {
            probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return health.up().build();
        } catch (TimeoutException e) {
            probe.cancel(true);
            return health.down().withDetail("error", "the store did not answer within " + timeout.toMillis() + " ms")
                    .build();
        } catch (ExecutionException e) {
            return health.down(e.getCause() == null ? e : e.getCause()).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return health.down().withDetail("error", "interrupted").build();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
