package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.spi.DimensionChange;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreMaintenance.StoredEpisode;
import dev.agentmemory.api.spi.StoreProvider;
import dev.agentmemory.core.Providers;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole-store operations of the postgres backend, and the change of vector size. */
class PostgresMaintenanceIT {

    private final StoreProvider provider = Providers.store("postgres");
    private HikariDataSource ds;

    @BeforeEach
    void schema() {
        ds = TestDatabase.freshSchema(PostgresMaintenanceIT.class);
    }

    @AfterEach
    void close() {
        ds.close();
    }

    private MemoryStores open(int dimensions) {
        return provider.open(StoreConfig.builder().dimensions(dimensions).dataSource(ds).build());
    }

    private static Episode episode(String project) {
        return Episode.builder(project).perception(Map.of("x", 1)).reasoning(Map.of()).action(Map.of()).build();
    }

    @Test
    void pagesVisitEveryEpisodeOnceInIdOrderWithTheStoredVector() {
        try (MemoryStores stores = open(3)) {
            StoreMaintenance m = (StoreMaintenance) stores;
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                ids.add(stores.episodes().storeEpisode(episode("p" + (i % 3)), i % 4 == 0 ? null : new float[] {1, 2, i}));
            }
            List<StoredEpisode> seen = new ArrayList<>();
            UUID after = null;
            List<StoredEpisode> page;
            do {
                page = m.readEpisodes(after, 5);
                seen.addAll(page);
                after = page.isEmpty() ? after : page.get(page.size() - 1).episode().episodeId();
            } while (page.size() == 5);
            assertThat(seen).extracting(s -> s.episode().episodeId()).containsExactlyInAnyOrderElementsOf(ids)
                    .doesNotHaveDuplicates();
            assertThat(seen).filteredOn(s -> s.embedding() == null).hasSize(6);
            StoredEpisode second = seen.stream().filter(s -> s.episode().episodeId().equals(ids.get(2))).findFirst().orElseThrow();
            assertThat(second.embedding()).containsExactly(1f, 2f, 2f);
            assertThat(m.countEpisodesByProject()).containsExactly(Map.entry("p0", 8L), Map.entry("p1", 8L), Map.entry("p2", 7L));
            assertThat(m.schemaVersion()).contains("7");
        }
    }

    @Test
    void clearingDropsEveryVectorAndRecordsTheModelInOneStep() {
        try (MemoryStores stores = open(3)) {
            StoreMaintenance m = (StoreMaintenance) stores;
            stores.episodes().storeEpisode(episode("p"), new float[] {1, 0, 0});
            stores.episodes().storeEpisode(episode("p"), null);
            UUID s = stores.knowledge().orElseThrow().storeStrategy(Strategy.builder("a").build(), new float[] {0, 1, 0});
            assertThat(m.embeddingModel()).isEmpty();

            assertThat(m.clearEmbeddings("model-b")).isEqualTo(2);
            assertThat(m.embeddingModel()).contains("model-b");
            assertThat(stores.episodes().countEpisodesPendingEmbedding()).isEqualTo(2);
            assertThat(m.readStrategies(null, 10).get(0).embedding()).isNull();

            m.updateStrategyEmbedding(s, new float[] {0, 0, 2});
            assertThat(m.readStrategies(null, 10).get(0).embedding()).containsExactly(0f, 0f, 2f);
            assertThatThrownBy(() -> m.updateStrategyEmbedding(UUID.randomUUID(), new float[] {1, 0, 0}))
                    .isInstanceOf(NotFoundException.class);
        }
    }

    @Test
    void changingTheSizeKeepsEveryRowDropsEveryVectorAndKeepsTheIndexes() throws Exception {
        UUID id;
        try (MemoryStores stores = open(3)) {
            id = stores.episodes().storeEpisode(episode("p"), new float[] {1, 0, 0});
            stores.knowledge().orElseThrow().storeStrategy(Strategy.builder("a").build(), new float[] {0, 1, 0});
        }
        List<String> indexesBefore = indexes();
        DimensionChange change = (DimensionChange) provider;
        StoreConfig five = StoreConfig.builder().dimensions(5).dataSource(ds).build();
        assertThat(change.storedDimensions(five)).isEqualTo(OptionalInt.of(3));

        assertThat(change.changeDimensions(five, "wider")).isEqualTo(3);

        assertThat(change.storedDimensions(five)).isEqualTo(OptionalInt.of(5));
        assertThat(indexes()).isEqualTo(indexesBefore);
        // A new column type brings the type's own storage (EXTERNAL); the vectors stay in the row.
        assertThat(embeddingStorage()).containsExactly("agent_episodes m", "agent_knowledge m");
        try (MemoryStores stores = open(5)) {
            StoreMaintenance m = (StoreMaintenance) stores;
            assertThat(m.embeddingModel()).contains("wider");
            assertThat(stores.episodes().getEpisodesPendingEmbedding(10)).extracting(Episode::episodeId).containsExactly(id);
            stores.episodes().updateEpisodeEmbedding(id, new float[] {1, 2, 3, 4, 5});
            assertThat(stores.episodes().findSimilarEpisodes(new float[] {1, 2, 3, 4, 5}, null, 5, 0.99))
                    .extracting(Episode::episodeId).containsExactly(id);
        }
        assertThat(change.changeDimensions(five, "wider")).isEqualTo(5);
        assertThatThrownBy(() -> open(3)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void thereIsNoSizeToChangeWithoutASchema() {
        DimensionChange change = (DimensionChange) provider;
        StoreConfig config = StoreConfig.builder().dimensions(5).dataSource(ds).build();
        assertThat(change.storedDimensions(config)).isEmpty();
        assertThatThrownBy(() -> change.changeDimensions(config, "m"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no agent-memory schema");
    }

    private List<String> embeddingStorage() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT c.relname || ' ' || a.attstorage::text FROM pg_attribute a"
                     + " JOIN pg_class c ON c.oid = a.attrelid WHERE c.relnamespace = current_schema()::regnamespace"
                     + " AND c.relkind = 'r' AND a.attname = 'embedding' AND NOT a.attisdropped ORDER BY 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private List<String> indexes() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
                     + " AND tablename IN ('agent_episodes', 'agent_knowledge') ORDER BY indexname")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
