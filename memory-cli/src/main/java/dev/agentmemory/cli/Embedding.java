package dev.agentmemory.cli;

import dev.agentmemory.api.EmbeddingException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreMaintenance.StoredStrategy;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Embeds what waits for a vector, batch by batch, so that an interrupted run loses at most one
 * batch and the next run continues: what is done is no longer pending.
 */
final class Embedding {

    private static final int PAGE = 500;

    private Embedding() {
    }

    /**
     * Embeds every episode pending embedding.
     *
     * @param memory the memory
     * @param batch episodes per batch
     * @param progress told after every batch
     * @return how many episodes were embedded
     * @throws EmbeddingException when the embedder fails; the message says how many were done
     */
    static long pendingEpisodes(AgentMemorySystem memory, int batch, Progress progress) {
        long done = 0;
        while (true) {
            List<Episode> pending = memory.episodes().getEpisodesPendingEmbedding(batch);
            if (pending.isEmpty()) {
                return done;
            }
            List<float[]> vectors;
            try {
                vectors = memory.episodeEmbedder().embedEpisodes(pending);
            } catch (EmbeddingException e) {
                throw new EmbeddingException("stopped after " + done + " episodes, run again to continue: "
                        + e.getMessage(), e.url(), e.status(), e.isTransient(), e);
            }
            long before = done;
            for (int i = 0; i < pending.size(); i++) {
                try {
                    memory.episodes().updateEpisodeEmbedding(Objects.requireNonNull(pending.get(i).episodeId()), vectors.get(i));
                    done++;
                } catch (NotFoundException deletedMeanwhile) {
                    // someone deleted it since it was read: nothing to embed
                }
            }
            progress.update(done);
            if (done == before) {
                return done;
            }
        }
    }

    /**
     * Embeds the descriptions of the strategies that have no vector.
     *
     * @param memory the memory
     * @param maintenance its whole-store operations
     * @return how many strategies were embedded
     */
    static long strategiesWithoutVector(AgentMemorySystem memory, StoreMaintenance maintenance) {
        if (!memory.hasKnowledge()) {
            return 0;
        }
        long done = 0;
        UUID after = null;
        List<StoredStrategy> page;
        do {
            page = maintenance.readStrategies(after, PAGE);
            for (StoredStrategy s : page) {
                UUID id = Objects.requireNonNull(s.strategy().knowledgeId(), "a stored strategy has an id");
                after = id;
                if (s.embedding() == null && !s.strategy().description().isBlank()) {
                    maintenance.updateStrategyEmbedding(id, memory.embedder().embed(s.strategy().description()));
                    done++;
                }
            }
        } while (page.size() == PAGE);
        return done;
    }
}
