package dev.agentmemory.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The one rule by which a strategy's evidence and confidence follow from its applications. Every
 * store asks {@link #applied}; none does this arithmetic itself.
 *
 * <p>An application is a fact keyed by (strategy, episode): the store keeps at most one per pair
 * (PostgreSQL: table {@code agent_strategy_applications}). {@link #applied} turns the change of
 * that fact into the change of the strategy's counters: a new application adds one, the same
 * result recorded again changes nothing, a different result moves one count from success to
 * failure or back. Counters move by what changed rather than being recounted, so that counts an
 * earlier deployment wrote into {@code agent_knowledge} keep their meaning.
 *
 * <p>Confidence is the lower bound of the Wilson score interval at 95% ({@code z = 1.96}) for the
 * success rate: the success rate we can be fairly sure the strategy reaches, given how often it was
 * tried. It rewards evidence as well as success: 3 successes out of 3 give 0.44, 90 out of 100
 * give 0.83, 9 out of 10 give 0.60. Before the first application the confidence it was created
 * with stands.
 */
public final class Evidence {

    /** The normal quantile for a two-sided 95% interval. */
    public static final double Z = 1.96;

    /**
     * The most episode ids a strategy lists as supporting, and as contradicting: the newest are
     * kept, so that a strategy applied a million times stays one small row. The counts are kept
     * in full.
     */
    public static final int MAX_LISTED_EPISODES = 100;

    private Evidence() {
    }

    /**
     * The strategy after the application of it in one episode was recorded.
     *
     * @param strategy the strategy as stored
     * @param episodeId the episode it was applied in
     * @param before the result recorded for this (strategy, episode) before, or null when none was
     * @param success the result recorded now
     * @param now the time of the recording
     * @param confidenceFloor below this confidence, a strategy applied often enough is deactivated
     * @param minApplications how often it must have been applied before the floor applies
     * @return the strategy with its counts, rate, confidence, lists, times and activity moved; the
     *     same instance when nothing changed (the same result recorded again)
     */
    public static Strategy applied(Strategy strategy, UUID episodeId, @Nullable Boolean before, boolean success,
                                   Instant now, double confidenceFloor, int minApplications) {
        Checks.required("strategy", strategy);
        Checks.required("episodeId", episodeId);
        if (before != null && before == success) {
            return strategy;
        }
        int successes = Math.max(0, strategy.successCount() + (success ? 1 : 0) - (Boolean.TRUE.equals(before) ? 1 : 0));
        int failures = Math.max(0, strategy.failureCount() + (success ? 0 : 1) - (Boolean.FALSE.equals(before) ? 1 : 0));
        // An earlier writer may have counted applications without a result; keep them.
        int times = Math.max(strategy.timesApplied() + (before == null ? 1 : 0), successes + failures);
        double confidence = confidence(successes, times, strategy.confidence());
        boolean deactivate = times >= minApplications && confidence < confidenceFloor;
        Strategy.Builder b = strategy.toBuilder()
                .timesApplied(times)
                .successCount(successes)
                .failureCount(failures)
                .successRate((double) successes / times)
                .confidence(confidence)
                .supportingEpisodes(listed(strategy.supportingEpisodes(), episodeId, success))
                .contradictingEpisodes(listed(strategy.contradictingEpisodes(), episodeId, !success))
                .lastValidated(now)
                .active(strategy.active() && !deactivate);
        if (before == null) {
            b.lastApplied(now);
        }
        return b.build();
    }

    // The list without the episode, then with it at the end when it belongs there; the newest
    // MAX_LISTED_EPISODES kept.
    private static List<UUID> listed(List<UUID> ids, UUID episodeId, boolean belongs) {
        List<UUID> out = new ArrayList<>(Math.min(ids.size() + 1, MAX_LISTED_EPISODES + 1));
        for (UUID id : ids) {
            if (!id.equals(episodeId)) {
                out.add(id);
            }
        }
        if (belongs) {
            out.add(episodeId);
        }
        return out.size() > MAX_LISTED_EPISODES ? List.copyOf(out.subList(out.size() - MAX_LISTED_EPISODES, out.size()))
                : out;
    }

    /**
     * @param successes how often applying the strategy succeeded
     * @param trials how often it was applied
     * @param prior the confidence to keep while there is no evidence
     * @return the confidence in [0,1]
     */
    public static double confidence(int successes, int trials, double prior) {
        if (trials <= 0) {
            return prior;
        }
        return wilsonLowerBound(successes, trials);
    }

    /**
     * @param successes successes, 0 to trials
     * @param trials trials, more than 0
     * @return the lower bound of the Wilson score interval
     */
    public static double wilsonLowerBound(int successes, int trials) {
        double n = trials;
        double p = successes / n;
        double z2 = Z * Z;
        double centre = p + z2 / (2 * n);
        double margin = Z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n);
        double lower = (centre - margin) / (1 + z2 / n);
        return Math.max(0, Math.min(1, lower));
    }
}
