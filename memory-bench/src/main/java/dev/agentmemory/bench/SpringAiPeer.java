package dev.agentmemory.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.BatchingStrategy;
import org.springframework.ai.embedding.Embedding;
import org.springframework.ai.embedding.EmbeddingModel;
import org.springframework.ai.embedding.EmbeddingOptions;
import org.springframework.ai.embedding.EmbeddingRequest;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.vectorstore.SearchRequest;
import org.springframework.ai.vectorstore.pgvector.PgVectorStore;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Spring AI's {@code PgVectorStore} (spring-ai-pgvector-store 1.0.x) on a {@link JdbcTemplate},
 * with {@code initializeSchema(true)}, an HNSW index and cosine distance, in the run's schema.
 *
 * <p>It embeds what it stores itself, through an {@link EmbeddingModel}; {@link Precomputed}
 * answers with the vectors the other stores get, so that no model runs in its measurement. The
 * project filter is its filter expression ({@code project_id == '...'}), which it runs as a
 * jsonpath over the metadata column.
 */
final class SpringAiPeer implements PeerStore {

    static final String TABLE = "spring_ai_vector_store";

    private final PgVectorStore store;
    private final Precomputed vectors;

    SpringAiPeer(DataSource dataSource, String schema, int dimensions, int batchSize) {
        this.vectors = new Precomputed(dimensions);
        this.store = PgVectorStore.builder(new JdbcTemplate(dataSource), vectors)
                .schemaName(schema)
                .vectorTableName(TABLE)
                .dimensions(dimensions)
                .distanceType(PgVectorStore.PgDistanceType.COSINE_DISTANCE)
                .indexType(PgVectorStore.PgIndexType.HNSW)
                .initializeSchema(true)
                .maxDocumentBatchSize(batchSize)
                .build();
        // Outside a Spring context nobody calls it: it creates the extensions, table and index.
        store.afterPropertiesSet();
    }

    @Override
    public String name() {
        return "Spring AI PgVectorStore";
    }

    @Override
    public void addAll(List<UUID> ids, List<float[]> vs, List<String> texts, List<Map<String, Object>> metadata) {
        List<Document> docs = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i).toString();
            vectors.put(id, vs.get(i));
            docs.add(Document.builder().id(id).text(texts.get(i)).metadata(metadata.get(i)).build());
        }
        store.add(docs);
        for (UUID id : ids) {
            vectors.remove(id.toString());
        }
    }

    @Override
    public List<UUID> search(float[] query, @Nullable String projectId, int k) {
        String key = "query:" + UUID.randomUUID();
        vectors.put(key, query);
        try {
            SearchRequest.Builder request = SearchRequest.builder().query(key).topK(k).similarityThresholdAll();
            if (projectId != null) {
                request.filterExpression("project_id == '" + projectId + "'");
            }
            List<UUID> out = new ArrayList<>(k);
            for (Document d : store.similaritySearch(request.build())) {
                out.add(UUID.fromString(d.getId()));
            }
            return out;
        } finally {
            vectors.remove(key);
        }
    }

    @Override
    public void close() {
        // the pool is the caller's
    }

    /**
     * The "trivial EmbeddingModel adapter": it answers each document (by id) and each query (by
     * its text, a key) with the vector handed over beforehand, and never embeds anything.
     */
    static final class Precomputed implements EmbeddingModel {
        private final int dimensions;
        private final Map<String, float[]> byKey = new ConcurrentHashMap<>();

        Precomputed(int dimensions) {
            this.dimensions = dimensions;
        }

        void put(String key, float[] vector) {
            byKey.put(key, vector);
        }

        void remove(String key) {
            byKey.remove(key);
        }

        private float[] get(String key) {
            float[] v = byKey.get(key);
            if (v == null) {
                throw new IllegalStateException("no precomputed vector for '" + key + "'");
            }
            return v;
        }

        @Override
        public EmbeddingResponse call(EmbeddingRequest request) {
            List<Embedding> out = new ArrayList<>();
            List<String> keys = request.getInstructions();
            for (int i = 0; i < keys.size(); i++) {
                out.add(new Embedding(get(keys.get(i)), i));
            }
            return new EmbeddingResponse(out);
        }

        @Override
        public float[] embed(String text) {
            return get(text);
        }

        @Override
        public float[] embed(Document document) {
            return get(document.getId());
        }

        @Override
        public List<float[]> embed(List<Document> documents, EmbeddingOptions options, BatchingStrategy batching) {
            List<float[]> out = new ArrayList<>(documents.size());
            for (Document d : documents) {
                out.add(get(d.getId()));
            }
            return out;
        }

        @Override
        public int dimensions() {
            return dimensions;
        }
    }
}
