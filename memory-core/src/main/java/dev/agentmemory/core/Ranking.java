package dev.agentmemory.core;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.RecallResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * How recall ranks the candidates the vector search found.
 *
 * <p>A decision agent's situations are mostly numbers and states (backlog 14 tasks, team of 4,
 * availability partial). Text embeddings alone are poor at "14 is close to 15, far from 60", so
 * recall blends two similarities: the vector one (1 - cosine distance) and a structured one that
 * compares the situation's fields directly (see {@link SituationSimilarity}). Recall fetches
 * {@code candidateFactor × limit} candidates (at least {@link #MIN_CANDIDATES}) whose vector
 * similarity reaches the recall threshold, scores them, and keeps the best {@code limit}. The
 * threshold has one meaning, the vector similarity's; the blend only orders, so a field that one
 * situation has and the other lacks can move a result down but never out.
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
 */
public record Ranking(
        double vectorWeight,
        double outcomeWeight,
        double recencyWeight,
        Duration recencyHalfLife,
        int candidateFactor) {

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
    }

    /** @return the default ranking: half vector, half structured; outcome and recency off */
    public static Ranking ofDefaults() {
        return new Ranking(0.5, 0, 0, Duration.ofDays(30), 20);
    }

    /** @return ranking by the vector similarity alone, as the store returns it */
    public static Ranking vectorOnly() {
        return new Ranking(1, 0, 0, Duration.ofDays(30), 1);
    }

    /**
     * @param weight the share of the outcome quality
     * @return this ranking with outcomes rewarded
     */
    public Ranking withOutcomeWeight(double weight) {
        return new Ranking(vectorWeight, weight, recencyWeight, recencyHalfLife, candidateFactor);
    }

    /**
     * @param weight the share of recency
     * @param halfLife the age at which recency is worth half
     * @return this ranking with recency rewarded
     */
    public Ranking withRecency(double weight, Duration halfLife) {
        return new Ranking(vectorWeight, outcomeWeight, weight, halfLife, candidateFactor);
    }

    /**
     * @param weight the share of the vector similarity in the situation score
     * @return this ranking with that weight
     */
    public Ranking withVectorWeight(double weight) {
        return new Ranking(weight, outcomeWeight, recencyWeight, recencyHalfLife, candidateFactor);
    }

    /**
     * Scores candidates by this ranking and keeps the best.
     *
     * @param context the query situation
     * @param found the candidates, each with its vector similarity set (or null without a vector)
     * @param limit at most this many
     * @param now the time recency is measured from
     * @param minStructured when set, only candidates whose structured similarity reaches it (recall
     *     without the embedder, where it is the only similarity known)
     * @return the results, highest score first; ties by vector similarity, then newest first
     */
    List<RecallResult> rank(Map<String, Object> context, List<Episode> found, int limit, Instant now,
                            @Nullable Double minStructured) {
        List<Map<String, Object>> perceptions = new ArrayList<>(found.size());
        for (Episode e : found) {
            perceptions.add(e.perception());
        }
        SituationSimilarity structured = new SituationSimilarity(context, perceptions);
        double rest = 1 - outcomeWeight - recencyWeight;
        double halfLifeMillis = recencyHalfLife.toMillis();
        List<RecallResult> scored = new ArrayList<>(found.size());
        for (Episode e : found) {
            Double vector = e.similarity();
            double fields = structured.score(e.perception());
            if (minStructured != null && fields < minStructured) {
                continue;
            }
            double situation = vector == null ? fields : vectorWeight * vector + (1 - vectorWeight) * fields;
            double outcome = e.outcomeQuality() == null ? 0.5 : e.outcomeQuality();
            double age = Math.max(0, Duration.between(e.timestamp(), now).toMillis());
            double recency = Math.pow(0.5, age / halfLifeMillis);
            double score = rest * situation + outcomeWeight * outcome + recencyWeight * recency;
            scored.add(new RecallResult(e, score, vector, fields, outcome, recency));
        }
        scored.sort(Comparator.comparingDouble(RecallResult::score).reversed()
                .thenComparing(RecallResult::vectorSimilarity, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(r -> r.episode().timestamp(), Comparator.reverseOrder()));
        return scored.size() > limit ? new ArrayList<>(scored.subList(0, limit)) : scored;
    }

    private static void check(String field, double v, double max) {
        if (!(v >= 0 && v <= max)) {
            throw new InvalidInputException(field, v + " is outside [0," + max + "]");
        }
    }
}
