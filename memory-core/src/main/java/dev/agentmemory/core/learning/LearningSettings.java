package dev.agentmemory.core.learning;

import dev.agentmemory.api.InvalidInputException;

/**
 * How cautiously consolidation learns.
 *
 * @param minSupport a rule rests on at least this many episodes that took its decision
 * @param minAlternatives and on at least this many that took another one, to compare with
 * @param alpha the family-wise error rate: the chance, over all the rules tried in one run, that
 *     any rule passes on luck alone (Holm's step-down correction)
 * @param minEffect the recommended decision must beat the others' mean quality by at least this
 * @param minConfidence a rule is kept only when its confidence (see {@link Consolidator}) reaches this
 * @param maxLevels a text field with more distinct values than this is not a category (an id, free text)
 * @param maxConditions at most this many conditions are tried per run, to bound the cost
 * @param maxEvidence at most this many episode ids are kept as supporting, and as contradicting
 * @param maxEpisodes consolidation reads at most this many of the newest episodes with an outcome
 */
public record LearningSettings(int minSupport, int minAlternatives, double alpha, double minEffect,
                               double minConfidence, int maxLevels, int maxConditions, int maxEvidence,
                               int maxEpisodes) {

    /** Validates the fields. */
    public LearningSettings {
        positive("minSupport", minSupport);
        positive("minAlternatives", minAlternatives);
        if (!(alpha > 0 && alpha < 0.5)) {
            throw new InvalidInputException("alpha", alpha + " is outside (0, 0.5)");
        }
        if (!(minEffect >= 0 && minEffect <= 1)) {
            throw new InvalidInputException("minEffect", minEffect + " is outside [0,1]");
        }
        if (!(minConfidence >= 0 && minConfidence <= 1)) {
            throw new InvalidInputException("minConfidence", minConfidence + " is outside [0,1]");
        }
        positive("maxLevels", maxLevels);
        positive("maxConditions", maxConditions);
        positive("maxEvidence", maxEvidence);
        positive("maxEpisodes", maxEpisodes);
    }

    /** @return the defaults: 20 and 10 episodes, alpha 0.05, effect 0.05, confidence 0.5 */
    public static LearningSettings ofDefaults() {
        return new LearningSettings(20, 10, 0.05, 0.05, 0.5, 12, 20_000, 500, 50_000);
    }

    /** @return these settings with another minimum support */
    public LearningSettings withMinSupport(int v) {
        return new LearningSettings(v, minAlternatives, alpha, minEffect, minConfidence, maxLevels, maxConditions,
                maxEvidence, maxEpisodes);
    }

    /** @return these settings with another family-wise error rate */
    public LearningSettings withAlpha(double v) {
        return new LearningSettings(minSupport, minAlternatives, v, minEffect, minConfidence, maxLevels, maxConditions,
                maxEvidence, maxEpisodes);
    }

    /** @return these settings with another cap on the episodes read */
    public LearningSettings withMaxEpisodes(int v) {
        return new LearningSettings(minSupport, minAlternatives, alpha, minEffect, minConfidence, maxLevels,
                maxConditions, maxEvidence, v);
    }

    private static void positive(String field, int v) {
        if (v < 1) {
            throw new InvalidInputException(field, v + " is less than 1");
        }
    }
}
