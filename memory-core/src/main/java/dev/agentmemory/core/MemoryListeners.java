package dev.agentmemory.core;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

// The listeners of one AgentMemorySystem, each told in turn; one that throws is logged and the
// others are still told, so that a broken metrics binding never fails a memory call.
final class MemoryListeners {

    private static final Logger log = LoggerFactory.getLogger(MemoryListeners.class);

    private final List<MemoryListener> listeners = new CopyOnWriteArrayList<>();

    void add(MemoryListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    boolean remove(MemoryListener listener) {
        return listeners.remove(listener);
    }

    void remembered(long startNanos, int episodes, boolean embedded) {
        tell(startNanos, (l, took) -> l.onRemember(took, episodes, embedded));
    }

    void recalled(long startNanos, int results) {
        tell(startNanos, (l, took) -> l.onRecall(took, results));
    }

    void strategies(long startNanos, int results) {
        tell(startNanos, (l, took) -> l.onStrategies(took, results));
    }

    void outcome(long startNanos) {
        tell(startNanos, MemoryListener::onOutcome);
    }

    void embedded(long startNanos, int texts) {
        tell(startNanos, (l, took) -> l.onEmbedding(took, texts));
    }

    void backfilled(long startNanos, int embedded) {
        tell(startNanos, (l, took) -> l.onBackfill(took, embedded));
    }

    private interface Call {
        void on(MemoryListener listener, Duration took);
    }

    private void tell(long startNanos, Call call) {
        if (listeners.isEmpty()) {
            return;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        for (MemoryListener l : listeners) {
            try {
                call.on(l, took);
            } catch (RuntimeException | LinkageError e) {
                log.warn("memory listener {} failed; the memory call is not affected: {}", l, e.toString());
            }
        }
    }
}
