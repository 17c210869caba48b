package dev.agentmemory.api;

import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The one order of strategies, ties included, that every store returns them in. Written once here
 * for Java; the PostgreSQL store's {@code ORDER BY confidence DESC, created_at DESC,
 * knowledge_id::text COLLATE "C"} is the same order, and the knowledge store contract holds both
 * to it with strategies that tie.
 */
public final class StrategyOrder {

    /** Most confident first; then the newest; then by id as text. */
    public static final Comparator<Strategy> MOST_CONFIDENT_FIRST = Comparator
            .comparingDouble(Strategy::confidence).reversed()
            .thenComparing(Strategy::createdAt, Comparator.reverseOrder())
            .thenComparing(s -> String.valueOf(s.knowledgeId()));

    /**
     * Most confident first; among equally confident ones, the one whose description is closer to
     * the situation first, those without a vector last; then {@link #MOST_CONFIDENT_FIRST}.
     */
    public static final Comparator<Candidate> APPLICABLE = Comparator
            .comparingDouble((Candidate c) -> c.strategy().confidence()).reversed()
            .thenComparing(Candidate::closeness, Comparator.nullsLast(Comparator.reverseOrder()))
            .thenComparing(Candidate::strategy, MOST_CONFIDENT_FIRST);

    private StrategyOrder() {
    }

    /**
     * A strategy whose conditions hold, with how close its description is to the situation.
     *
     * @param strategy the strategy
     * @param closeness cosine similarity of its description's vector to the situation's, or null
     *     when either has none
     */
    public record Candidate(Strategy strategy, @Nullable Double closeness) {
    }

    /**
     * @param candidates applicable strategies
     * @param limit at most this many
     * @return them in {@link #APPLICABLE} order
     */
    public static List<Strategy> applicable(List<Candidate> candidates, int limit) {
        return candidates.stream().sorted(APPLICABLE).limit(limit).map(Candidate::strategy).toList();
    }
}
