package dev.agentmemory.core;

import dev.agentmemory.api.InvalidInputException;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How an {@link AgentMemorySystem} behaves. Immutable; {@link #ofDefaults()} gives the contract's
 * defaults and {@link #builder()} / {@link #from(MemorySettings)} build others, checking every value.
 *
 * @param minSimilarity the least vector similarity (1 - cosine distance) a recalled situation must
 *     have; 0.7
 * @param successThreshold an outcome at least this good counts as a success of the strategies
 *     the episode applied; 0.5
 * @param strategyLimit how many strategies {@code getLearnedStrategies} returns at most; 10
 * @param embeddingCacheSize how many vectors the embedding cache keeps; 0 turns it off; 10,000
 * @param backfillBatchSize how many pending episodes one backfill round embeds at once; 64
 * @param backfillInterval how often to backfill pending embeddings in the background; null (the
 *     default) never does, and {@link AgentMemorySystem#backfillEmbeddings()} is called by hand
 * @param ranking how recall ranks what the vector search found; {@link Ranking#ofDefaults()}
 * @param embeddingBatchLimit the most single-text embeddings of concurrent callers that one call of
 *     the embedder's batch path combines (a caller who finds the embedder idle embeds alone, at
 *     once; those who come while it works wait in line and go in the next call); 0 turns combining
 *     off, each caller then running the embedder itself; 0 to 10,000; twice the cores. Larger
 *     is not faster with the local model (its batch path runs one text per core) and makes every
 *     caller of a batch wait for the texts that came after it; twice the cores keeps every core
 *     busy across the hand-over from one batch to the next
 */
public record MemorySettings(
        double minSimilarity,
        double successThreshold,
        int strategyLimit,
        int embeddingCacheSize,
        int backfillBatchSize,
        @Nullable Duration backfillInterval,
        Ranking ranking,
        int embeddingBatchLimit) {

    /** Checks every value. */
    public MemorySettings {
        if (!(minSimilarity >= -1 && minSimilarity <= 1)) {
            throw new InvalidInputException("minSimilarity", minSimilarity + " is outside [-1,1]");
        }
        if (!(successThreshold >= 0 && successThreshold <= 1)) {
            throw new InvalidInputException("successThreshold", successThreshold + " is outside [0,1]");
        }
        if (strategyLimit < 1 || strategyLimit > 1000) {
            throw new InvalidInputException("strategyLimit", strategyLimit + " is outside 1 to 1000");
        }
        if (embeddingCacheSize < 0) {
            throw new InvalidInputException("embeddingCacheSize", embeddingCacheSize + " is negative");
        }
        if (backfillBatchSize < 1 || backfillBatchSize > 10_000) {
            throw new InvalidInputException("backfillBatchSize", backfillBatchSize + " is outside 1 to 10000");
        }
        if (backfillInterval != null && (backfillInterval.isZero() || backfillInterval.isNegative())) {
            throw new InvalidInputException("backfillInterval", backfillInterval + " must be positive");
        }
        if (ranking == null) {
            throw new InvalidInputException("ranking", "is required");
        }
        if (embeddingBatchLimit < 0 || embeddingBatchLimit > 10_000) {
            throw new InvalidInputException("embeddingBatchLimit", embeddingBatchLimit + " is outside 0 to 10000");
        }
    }

    /** @return the defaults */
    public static MemorySettings ofDefaults() {
        return builder().build();
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param base settings to start from
     * @return a builder holding them
     */
    public static Builder from(MemorySettings base) {
        Builder b = new Builder();
        b.minSimilarity = base.minSimilarity;
        b.successThreshold = base.successThreshold;
        b.strategyLimit = base.strategyLimit;
        b.embeddingCacheSize = base.embeddingCacheSize;
        b.backfillBatchSize = base.backfillBatchSize;
        b.backfillInterval = base.backfillInterval;
        b.ranking = base.ranking;
        b.embeddingBatchLimit = base.embeddingBatchLimit;
        return b;
    }

    /** Builds {@link MemorySettings}. */
    public static final class Builder {
        private double minSimilarity = 0.7;
        private double successThreshold = 0.5;
        private int strategyLimit = 10;
        private int embeddingCacheSize = 10_000;
        private int backfillBatchSize = 64;
        private @Nullable Duration backfillInterval;
        private Ranking ranking = Ranking.ofDefaults();
        private int embeddingBatchLimit = Math.min(10_000, 2 * Runtime.getRuntime().availableProcessors());

        private Builder() {
        }

        public Builder minSimilarity(double v) { minSimilarity = v; return this; }
        public Builder successThreshold(double v) { successThreshold = v; return this; }
        public Builder strategyLimit(int v) { strategyLimit = v; return this; }
        public Builder embeddingCacheSize(int v) { embeddingCacheSize = v; return this; }
        public Builder backfillBatchSize(int v) { backfillBatchSize = v; return this; }
        public Builder backfillInterval(@Nullable Duration v) { backfillInterval = v; return this; }
        public Builder ranking(Ranking v) { ranking = v; return this; }
        public Builder embeddingBatchLimit(int v) { embeddingBatchLimit = v; return this; }

        public MemorySettings build() {
            return new MemorySettings(minSimilarity, successThreshold, strategyLimit, embeddingCacheSize,
                    backfillBatchSize, backfillInterval, ranking, embeddingBatchLimit);
        }
    }
}
