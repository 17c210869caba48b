package dev.agentmemory.micrometer;

import dev.agentmemory.api.CircuitBreaking;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.spi.ForwardingEmbedder;
import dev.agentmemory.core.AgentMemorySystem;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds an {@link AgentMemorySystem}'s meters to a {@link MeterRegistry}: the timers and counters
 * of {@link MicrometerMemoryListener}, and the gauges
 * <ul>
 *   <li>{@value #PENDING}: the episodes stored without a vector, waiting for the backfill (asked of
 *       the store at each read of the gauge; NaN while the store does not answer)</li>
 *   <li>{@value #CIRCUIT} with tag {@code state} ({@code closed}, {@code half_open},
 *       {@code open}): 1 for the state the embedder's circuit breaker is in, 0 for the others;
 *       only for an embedder that has one ({@link CircuitBreaking})</li>
 * </ul>
 * Every meter carries the tags {@code store} (the backend's name) and {@code embedder} (the
 * model's name), and any others given.
 *
 * <pre>{@code
 * AgentMemoryMetrics metrics = AgentMemoryMetrics.bind(memory, registry);
 * ...
 * metrics.close();   // removes the listener and the meters
 * }</pre>
 */
public final class AgentMemoryMetrics implements MeterBinder, AutoCloseable {

    /** Gauge of the episodes waiting for a vector. */
    public static final String PENDING = "agent.memory.embeddings.pending";
    /** Gauge of the embedder's circuit breaker, one series per state. */
    public static final String CIRCUIT = "agent.memory.embedder.circuit";

    private static final Logger log = LoggerFactory.getLogger(AgentMemoryMetrics.class);

    private final AgentMemorySystem memory;
    private final Tags tags;
    private final List<Bound> bound = new ArrayList<>();

    private record Bound(MeterRegistry registry, MicrometerMemoryListener listener, List<Meter> gauges) {
    }

    /**
     * @param memory the memory to measure
     * @param extraTags tags for every meter besides {@code store} and {@code embedder} (which
     *     they may replace)
     */
    public AgentMemoryMetrics(AgentMemorySystem memory, Iterable<Tag> extraTags) {
        this.memory = Objects.requireNonNull(memory, "memory");
        this.tags = tagsOf(memory).and(extraTags);
    }

    /**
     * @param memory the memory to measure
     * @param registry where to record
     * @return the binding, bound; close it to remove its listener and meters
     */
    public static AgentMemoryMetrics bind(AgentMemorySystem memory, MeterRegistry registry) {
        AgentMemoryMetrics metrics = new AgentMemoryMetrics(memory, Tags.empty());
        metrics.bindTo(registry);
        return metrics;
    }

    /**
     * The tags that name a memory system: {@code store}, the backend ("postgres", "inmemory": the
     * store's class name without {@code AgentMemoryStore}), and {@code embedder}, the model's name
     * ("unknown" while an embedding service cannot tell). Give other values as extra tags to the
     * constructor.
     *
     * @param memory the memory
     * @return its tags
     */
    public static Tags tagsOf(AgentMemorySystem memory) {
        String model;
        try {
            model = memory.embedder().modelName();
        } catch (MemoryException e) {
            model = "unknown";
        }
        return Tags.of("store", storeName(memory), "embedder", model);
    }

    // The name of the store's class without its suffix: "postgres" and "inmemory" as the backends'
    // providers are named. Not the description, which would ask an embedding service its model.
    private static String storeName(AgentMemorySystem memory) {
        String name = memory.episodes().getClass().getSimpleName().replace("AgentMemoryStore", "");
        return name.isBlank() ? "unknown" : name.toLowerCase(Locale.ROOT);
    }

    /** @return the tags every meter of this binding carries */
    public Tags tags() {
        return tags;
    }

    /**
     * Registers the meters in {@code registry} and starts recording; binding to a second registry
     * records in both.
     */
    @Override
    public synchronized void bindTo(MeterRegistry registry) {
        MicrometerMemoryListener listener = new MicrometerMemoryListener(registry, tags);
        List<Meter> gauges = new ArrayList<>();
        gauges.add(Gauge.builder(PENDING, memory, AgentMemoryMetrics::pending)
                .description("Episodes stored without a vector, waiting for the backfill")
                .tags(tags).strongReference(true).register(registry));
        circuitOf(memory.embedder()).ifPresent(circuit -> {
            for (CircuitBreaking.CircuitState state : CircuitBreaking.CircuitState.values()) {
                gauges.add(Gauge.builder(CIRCUIT, circuit, c -> c.circuitState() == state ? 1 : 0)
                        .description("The embedder's circuit breaker: 1 for the state it is in")
                        .tags(tags).tag("state", state.name().toLowerCase(Locale.ROOT))
                        .strongReference(true).register(registry));
            }
        });
        memory.addListener(listener);
        bound.add(new Bound(registry, listener, gauges));
    }

    private static double pending(AgentMemorySystem memory) {
        try {
            return memory.episodes().countEpisodesPendingEmbedding();
        } catch (MemoryException e) {
            log.debug("pending embeddings not counted: {}", e.getMessage());
            return Double.NaN;
        }
    }

    /**
     * @param embedder an embedder, perhaps behind the embedding cache, the listeners' wrapper and the
     *     combining of concurrent calls
     * @return its circuit breaker, when it has one
     */
    public static Optional<CircuitBreaking> circuitOf(@Nullable Embedder embedder) {
        Embedder e = embedder;
        while (e != null) {
            if (e instanceof CircuitBreaking c) {
                return Optional.of(c);
            }
            e = e instanceof ForwardingEmbedder f ? f.delegate() : null;
        }
        return Optional.empty();
    }

    /** Stops recording and removes this binding's meters from every registry it was bound to. */
    @Override
    public synchronized void close() {
        for (Bound b : bound) {
            memory.removeListener(b.listener());
            for (Meter gauge : b.gauges()) {
                b.registry().remove(gauge);
            }
            b.registry().getMeters().stream()
                    .filter(m -> m.getId().getName().startsWith("agent.memory.") && tagsMatch(m))
                    .toList()
                    .forEach(b.registry()::remove);
        }
        bound.clear();
    }

    private boolean tagsMatch(Meter m) {
        for (Tag t : tags) {
            if (!t.getValue().equals(m.getId().getTag(t.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
