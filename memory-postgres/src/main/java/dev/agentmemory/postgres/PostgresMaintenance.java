package dev.agentmemory.postgres;

import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Limits;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Vectors;
import dev.agentmemory.api.spi.StoreMaintenance;
import java.util.Objects;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@link StoreMaintenance} on PostgreSQL: keyset-paged reads with the stored vectors, counts per
 * project, the Flyway version, and dropping every vector in one transaction with the new model
 * recorded in {@code agent_memory_meta} under {@value #MODEL_KEY}.
 */
final class PostgresMaintenance implements StoreMaintenance {

    /** The meta key that records the model the stored vectors come from. */
    static final String MODEL_KEY = "embedding_model";

    private final Database db;
    private final int dimensions;

    PostgresMaintenance(Database db, int dimensions) {
        this.db = db;
        this.dimensions = dimensions;
    }

    @Override
    public List<StoredEpisode> readEpisodes(@Nullable UUID after, int limit) {
        Limits.check("limit", limit);
        List<EpisodeRow> rows = db.retrying("reading episodes",
                s -> s.getMapper(MaintenanceMapper.class).episodesAfter(after, limit));
        List<StoredEpisode> out = new ArrayList<>(rows.size());
        for (EpisodeRow r : rows) {
            out.add(new StoredEpisode(r.toEpisode(), r.embedding));
        }
        return out;
    }

    @Override
    public List<StoredStrategy> readStrategies(@Nullable UUID after, int limit) {
        Limits.check("limit", limit);
        List<StrategyRow> rows = db.retrying("reading strategies",
                s -> s.getMapper(MaintenanceMapper.class).strategiesAfter(after, limit));
        List<StoredStrategy> out = new ArrayList<>(rows.size());
        for (StrategyRow r : rows) {
            out.add(new StoredStrategy(r.toStrategy(), r.embedding));
        }
        return out;
    }

    @Override
    public Map<String, Long> countEpisodesByProject() {
        List<Map<String, Object>> rows = db.retrying("counting episodes per project",
                s -> s.getMapper(MaintenanceMapper.class).countByProject());
        // Sorted here, not by the database's collation, so that every backend lists projects alike.
        Map<String, Long> counts = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            counts.put((String) row.get("project"), ((Number) Objects.requireNonNull(row.get("episodes"))).longValue());
        }
        return counts;
    }

    @Override
    public Optional<String> schemaVersion() {
        return Optional.ofNullable(PostgresSchema.schemaVersion(db));
    }

    @Override
    public Optional<String> embeddingModel() {
        return Optional.ofNullable(db.retrying("reading the embedding model",
                s -> s.getMapper(SchemaMapper.class).meta(MODEL_KEY)));
    }

    @Override
    public long clearEmbeddings(String model) {
        checkModel(model);
        return db.transaction("dropping every vector", s -> {
            MaintenanceMapper m = s.getMapper(MaintenanceMapper.class);
            long dropped = (long) m.clearEpisodeEmbeddings() + m.clearStrategyEmbeddings();
            m.putMeta(MODEL_KEY, model);
            return dropped;
        });
    }

    @Override
    public void updateStrategyEmbedding(UUID knowledgeId, float[] embedding) {
        if (knowledgeId == null) {
            throw new InvalidInputException("knowledgeId", "is required");
        }
        float[] v = Vectors.checkedCopy("embedding", embedding, dimensions);
        int updated = db.retrying("storing a strategy's vector",
                s -> s.getMapper(MaintenanceMapper.class).updateStrategyEmbedding(knowledgeId, v));
        if (updated == 0) {
            throw new NotFoundException("strategy", knowledgeId);
        }
    }

    static String checkModel(@Nullable String model) {
        if (model == null || model.isBlank()) {
            throw new InvalidInputException("model", "must not be blank");
        }
        if (model.indexOf('\0') >= 0) {
            throw new InvalidInputException("model", "contains a NUL character (U+0000), which cannot be stored");
        }
        return model;
    }
}
