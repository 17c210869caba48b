package dev.agentmemory.micrometer;

import dev.agentmemory.core.MemoryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link MemoryListener} that records what an {@code AgentMemorySystem} does as Micrometer
 * meters, each with the given tags (usually {@code store} and {@code embedder}):
 * <ul>
 *   <li>{@value #REMEMBER} (timer, tag {@code embedded} true or false: false when the embedder
 *       failed and the episodes wait for their vectors), and {@value #EPISODES} (counter, the
 *       episodes stored, same tag)</li>
 *   <li>{@value #RECALL}, {@value #STRATEGIES}, {@value #OUTCOME}, {@value #BACKFILL} (timers)</li>
 *   <li>{@value #EMBEDDING} (timer, one sample per call that reached the embedder) and
 *       {@value #EMBEDDED_TEXTS} (counter, the texts it embedded)</li>
 * </ul>
 * Usually made by {@link AgentMemoryMetrics}, which adds the gauges; built by hand it can be given
 * to {@code AgentMemory.builder().listener(...)}.
 */
public final class MicrometerMemoryListener implements MemoryListener {

    /** Timer of {@code rememberDecision} and {@code rememberDecisions}. */
    public static final String REMEMBER = "agent.memory.remember";
    /** Timer of recall. */
    public static final String RECALL = "agent.memory.recall";
    /** Timer of {@code recordOutcome}. */
    public static final String OUTCOME = "agent.memory.outcome";
    /** Timer of the calls that reached the embedder. */
    public static final String EMBEDDING = "agent.memory.embedding";
    /** Timer of {@code getLearnedStrategies}. */
    public static final String STRATEGIES = "agent.memory.strategies";
    /** Timer of {@code backfillEmbeddings}. */
    public static final String BACKFILL = "agent.memory.backfill";
    /** Counter of the episodes stored. */
    public static final String EPISODES = "agent.memory.episodes.remembered";
    /** Counter of the texts the embedder embedded. */
    public static final String EMBEDDED_TEXTS = "agent.memory.embedding.texts";

    private final Timer rememberEmbedded;
    private final Timer rememberPending;
    private final Counter episodesEmbedded;
    private final Counter episodesPending;
    private final Timer recall;
    private final Timer strategies;
    private final Timer outcome;
    private final Timer embedding;
    private final Counter embeddedTexts;
    private final Timer backfill;

    /**
     * Registers the meters (a registry that already holds them returns the same ones).
     *
     * @param registry where to record
     * @param tags the tags of every meter, such as {@code store} and {@code embedder}
     */
    public MicrometerMemoryListener(MeterRegistry registry, Iterable<Tag> tags) {
        Objects.requireNonNull(registry, "registry");
        Tags common = Tags.of(tags);
        rememberEmbedded = timer(registry, REMEMBER, "Remembering decisions: embedding and storing",
                common.and("embedded", "true"));
        rememberPending = timer(registry, REMEMBER, "Remembering decisions: embedding and storing",
                common.and("embedded", "false"));
        episodesEmbedded = counter(registry, EPISODES, "Episodes stored", common.and("embedded", "true"));
        episodesPending = counter(registry, EPISODES, "Episodes stored", common.and("embedded", "false"));
        recall = timer(registry, RECALL, "Recalling similar situations", common);
        strategies = timer(registry, STRATEGIES, "Finding the learned strategies that apply", common);
        outcome = timer(registry, OUTCOME, "Recording outcomes and the strategies' evidence", common);
        embedding = timer(registry, EMBEDDING, "Calls to the embedder (under the embedding cache)", common);
        embeddedTexts = counter(registry, EMBEDDED_TEXTS, "Texts the embedder embedded", common);
        backfill = timer(registry, BACKFILL, "Embedding the episodes stored without a vector", common);
    }

    private static Timer timer(MeterRegistry registry, String name, String description, Tags tags) {
        return Timer.builder(name).description(description).tags(tags).register(registry);
    }

    private static Counter counter(MeterRegistry registry, String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }

    @Override
    public void onRemember(Duration took, int episodes, boolean embedded) {
        (embedded ? rememberEmbedded : rememberPending).record(took);
        (embedded ? episodesEmbedded : episodesPending).increment(episodes);
    }

    @Override
    public void onRecall(Duration took, int results) {
        recall.record(took);
    }

    @Override
    public void onStrategies(Duration took, int results) {
        strategies.record(took);
    }

    @Override
    public void onOutcome(Duration took) {
        outcome.record(took);
    }

    @Override
    public void onEmbedding(Duration took, int texts) {
        embedding.record(took);
        embeddedTexts.increment(texts);
    }

    @Override
    public void onBackfill(Duration took, int embedded) {
        backfill.record(took);
    }
}
