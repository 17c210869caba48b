package dev.agentmemory.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreMaintenance.StoredEpisode;
import dev.agentmemory.api.spi.StoreMaintenance.StoredStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The whole-store operations the command line's export, stats and reembed use. */
class InMemoryMaintenanceTest {

    private final MemoryStores stores = new InMemoryStoreProvider().open(StoreConfig.builder().dimensions(3).build());
    private final StoreMaintenance maintenance = (StoreMaintenance) stores;

    private static Episode episode(String project) {
        return Episode.builder(project).perception(Map.of("x", 1)).reasoning(Map.of()).action(Map.of()).build();
    }

    @Test
    void pagesByIdVisitEveryEpisodeOnceWithItsUnitVectorOrNull() {
        List<UUID> stored = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            stored.add(stores.episodes().storeEpisode(episode("p" + (i % 3)), i % 5 == 0 ? null : new float[] {3, 4, 0}));
        }
        List<StoredEpisode> seen = new ArrayList<>();
        UUID after = null;
        while (true) {
            List<StoredEpisode> page = maintenance.readEpisodes(after, 7);
            seen.addAll(page);
            if (page.size() < 7) {
                break;
            }
            after = page.get(page.size() - 1).episode().episodeId();
        }
        assertThat(seen).extracting(s -> s.episode().episodeId()).containsExactlyInAnyOrderElementsOf(stored)
                .isSorted();
        assertThat(seen).filteredOn(s -> s.embedding() == null).hasSize(5);
        assertThat(seen).filteredOn(s -> s.embedding() != null)
                .allSatisfy(s -> assertThat(s.embedding()).containsExactly(0.6f, 0.8f, 0f));
    }

    @Test
    void countsPerProjectInProjectOrder() {
        stores.episodes().storeEpisode(episode("beta"), null);
        stores.episodes().storeEpisode(episode("alpha"), null);
        stores.episodes().storeEpisode(episode("beta"), null);
        assertThat(maintenance.countEpisodesByProject()).containsExactly(Map.entry("alpha", 1L), Map.entry("beta", 2L));
    }

    @Test
    void clearingEmbeddingsMakesEveryEpisodePendingAndRecordsTheModel() {
        UUID a = stores.episodes().storeEpisode(episode("p"), new float[] {1, 0, 0});
        UUID b = stores.episodes().storeEpisode(episode("p"), null);
        KnowledgeStore knowledge = stores.knowledge().orElseThrow();
        UUID s = knowledge.storeStrategy(Strategy.builder("split big sprints").build(), new float[] {0, 1, 0});
        assertThat(maintenance.embeddingModel()).isEmpty();

        assertThat(maintenance.clearEmbeddings("model-b")).isEqualTo(2);

        assertThat(maintenance.embeddingModel()).contains("model-b");
        assertThat(stores.episodes().countEpisodesPendingEmbedding()).isEqualTo(2);
        assertThat(stores.episodes().getEpisodesPendingEmbedding(10)).extracting(Episode::episodeId).containsExactly(a, b);
        assertThat(stores.episodes().findSimilarEpisodes(new float[] {1, 0, 0}, null, 10, 0.0)).isEmpty();
        assertThat(maintenance.readStrategies(null, 10)).singleElement().satisfies(st -> assertThat(st.embedding()).isNull());

        stores.episodes().updateEpisodeEmbedding(a, new float[] {0, 0, 2});
        assertThat(stores.episodes().findSimilarEpisodes(new float[] {0, 0, 1}, null, 10, 0.9))
                .extracting(Episode::episodeId).containsExactly(a);
        maintenance.updateStrategyEmbedding(s, new float[] {0, 0, 5});
        assertThat(maintenance.readStrategies(null, 10)).singleElement()
                .satisfies(st -> assertThat(st.embedding()).containsExactly(0f, 0f, 1f));
    }

    @Test
    void updatingTheVectorOfAStrategyKeepsItsEvidence() {
        KnowledgeStore knowledge = stores.knowledge().orElseThrow();
        UUID s = knowledge.storeStrategy(Strategy.builder("keep sprints short").build(), null);
        knowledge.recordApplication(s, UUID.randomUUID(), true);

        maintenance.updateStrategyEmbedding(s, new float[] {1, 1, 0});

        StoredStrategy read = maintenance.readStrategies(null, 10).get(0);
        assertThat(read.strategy().timesApplied()).isEqualTo(1);
        assertThat(read.embedding()).isNotNull();
        assertThatThrownBy(() -> maintenance.updateStrategyEmbedding(UUID.randomUUID(), new float[] {1, 0, 0}))
                .isInstanceOf(NotFoundException.class);
    }

    @Test
    void strategiesArePagedByIdActiveOrNot() {
        KnowledgeStore knowledge = stores.knowledge().orElseThrow();
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(knowledge.storeStrategy(Strategy.builder("s" + i).active(i % 2 == 0).build(), null));
        }
        List<StoredStrategy> first = maintenance.readStrategies(null, 3);
        List<StoredStrategy> rest = maintenance.readStrategies(first.get(2).strategy().knowledgeId(), 3);
        assertThat(first).hasSize(3);
        assertThat(rest).hasSize(2);
        List<UUID> all = new ArrayList<>();
        first.forEach(x -> all.add(x.strategy().knowledgeId()));
        rest.forEach(x -> all.add(x.strategy().knowledgeId()));
        assertThat(all).containsExactlyInAnyOrderElementsOf(ids).isSorted();
    }

    @Test
    void theInMemoryBackendHasNoSchemaVersion() {
        assertThat(maintenance.schemaVersion()).isEmpty();
    }
}
