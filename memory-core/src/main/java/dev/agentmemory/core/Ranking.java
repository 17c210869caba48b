package dev.agentmemory.core;

import dev.agentmemory.api.InvalidInputException;
import java.time.Duration;

/**
 * How recall ranks the candidates the vector search found.
 *
 * <p>A decision agent's situations are mostly numbers and states (backlog 14 tasks, team of 4,
 * availability partial). Text embeddings alone are poor at "14 is close to 15, far from 60", so
 * recall blends two similarities: the vector one (1 - cosine distance) and a structured one that
 * compares the situation's fields directly (see {@link SituationSimilarity}). It fetches
 * {@code candidateFactor × limit} candidates (at least {@link #MIN_CANDIDATES}) from the store
 * with a looser vector threshold, scores them, and keeps those whose blended score reaches the
 * recall threshold.
 *
 * <p>Optionally, as Generative Agents blend relevance, importance and recency, the score can also
 * reward what worked ({@code outcomeWeight}: the outcome quality, 0.5 while unknown) and what is
 * recent ({@code recencyWeight}: halves every {@code recencyHalfLife}). Both are off by default.
 *
 * <p>score = (1 - outcomeWeight - recencyWeight) × (vectorWeight × vector + (1 - vectorWeight) ×
 * structured) + outcomeWeight × quality + recencyWeight × recency
 *
 * @param vectorWeight the share of the vector similarity in the situation score, in [0,1]; 0.5
 * @param outcomeWeight the share of the outcome quality, in [0,1); 0
 * @param recencyWeight the share of recency, in [0,1); 0
 * @param recencyHalfLife the age at which recency is worth half; 30 days
 * @param candidateFactor how many candidates per result to score; 20
 * @param candidateMinSimilarity the vector threshold of the candidate search; 0.3
 */
public record Ranking(
        double vectorWeight,
        double outcomeWeight,
        double recencyWeight,
        Duration recencyHalfLife,
        int candidateFactor,
        double candidateMinSimilarity) {

    /** The least number of candidates scored, whatever the limit. */
    public static final int MIN_CANDIDATES = 200;

    /** Checks every value. */
    public Ranking {
        check("vectorWeight", vectorWeight, 1);
        check("outcomeWeight", outcomeWeight, 1);
        check("recencyWeight", recencyWeight, 1);
        if (outcomeWeight + recencyWeight >= 1) {
            throw new InvalidInputException("outcomeWeight", "outcomeWeight + recencyWeight = "
                    + (outcomeWeight + recencyWeight) + " leaves nothing for similarity; keep it below 1");
        }
        if (recencyHalfLife == null || recencyHalfLife.isZero() || recencyHalfLife.isNegative()) {
            throw new InvalidInputException("recencyHalfLife", recencyHalfLife + " must be positive");
        }
        if (candidateFactor < 1 || candidateFactor > 100) {
            throw new InvalidInputException("candidateFactor", candidateFactor + " is outside 1 to 100");
        }
        if (!(candidateMinSimilarity >= -1 && candidateMinSimilarity <= 1)) {
            throw new InvalidInputException("candidateMinSimilarity", candidateMinSimilarity + " is outside [-1,1]");
        }
    }

    /** @return the default ranking: half vector, half structured; outcome and recency off */
    public static Ranking ofDefaults() {
        return new Ranking(0.5, 0, 0, Duration.ofDays(30), 20, 0.3);
    }

    /** @return ranking by the vector similarity alone, as the store returns it */
    public static Ranking vectorOnly() {
        return new Ranking(1, 0, 0, Duration.ofDays(30), 1, 0.3);
    }

    /**
     * @param weight the share of the outcome quality
     * @return this ranking with outcomes rewarded
     */
    public Ranking withOutcomeWeight(double weight) {
        return new Ranking(vectorWeight, weight, recencyWeight, recencyHalfLife, candidateFactor, candidateMinSimilarity);
    }

    /**
     * @param weight the share of recency
     * @param halfLife the age at which recency is worth half
     * @return this ranking with recency rewarded
     */
    public Ranking withRecency(double weight, Duration halfLife) {
        return new Ranking(vectorWeight, outcomeWeight, weight, halfLife, candidateFactor, candidateMinSimilarity);
    }

    /**
     * @param weight the share of the vector similarity in the situation score
     * @return this ranking with that weight
     */
    public Ranking withVectorWeight(double weight) {
        return new Ranking(weight, outcomeWeight, recencyWeight, recencyHalfLife, candidateFactor, candidateMinSimilarity);
    }

    private static void check(String field, double v, double max) {
        if (!(v >= 0 && v <= max)) {
            throw new InvalidInputException(field, v + " is outside [0," + max + "]");
        }
    }
}
