package dev.agentmemory.bench;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.filter.MetadataFilterBuilder;
import dev.langchain4j.store.embedding.pgvector.PgVectorEmbeddingStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * LangChain4j's {@code PgVectorEmbeddingStore} (langchain4j-pgvector), on its own table in the
 * run's schema.
 *
 * <p>Its only index option ({@code useIndex}) is IVFFlat, built when the store is created, on an
 * empty table. So that all three stores maintain the same index while they ingest, its table gets
 * the index the others use, {@code hnsw (embedding vector_cosine_ops)} with pgvector's defaults,
 * created here right after the store creates the table. Metadata is stored its default way
 * (one JSON column); the project filter is its metadata filter.
 */
final class LangChain4jPeer implements PeerStore {

    static final String TABLE = "lc4j_embeddings";

    private final PgVectorEmbeddingStore store;

    LangChain4jPeer(DataSource dataSource, int dimensions) {
        this.store = PgVectorEmbeddingStore.datasourceBuilder()
                .datasource(dataSource)
                .table(TABLE)
                .dimension(dimensions)
                .createTable(true)
                .useIndex(false)
                .build();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE INDEX " + TABLE + "_hnsw_idx ON " + TABLE + " USING hnsw (embedding vector_cosine_ops)");
        } catch (SQLException e) {
            throw new IllegalStateException("creating the HNSW index on LangChain4j's table failed", e);
        }
    }

    @Override
    public String name() {
        return "LangChain4j PgVectorEmbeddingStore";
    }

    @Override
    public void addAll(List<UUID> ids, List<float[]> vectors, List<String> texts, List<Map<String, Object>> metadata) {
        List<String> idTexts = new ArrayList<>(ids.size());
        List<Embedding> embeddings = new ArrayList<>(ids.size());
        List<TextSegment> segments = new ArrayList<>(ids.size());
        for (int i = 0; i < ids.size(); i++) {
            idTexts.add(ids.get(i).toString());
            embeddings.add(Embedding.from(vectors.get(i)));
            segments.add(TextSegment.from(texts.get(i), Metadata.from(metadata.get(i))));
        }
        store.addAll(idTexts, embeddings, segments);
    }

    @Override
    public List<UUID> search(float[] query, @Nullable String projectId, int k) {
        EmbeddingSearchRequest.EmbeddingSearchRequestBuilder request = EmbeddingSearchRequest.builder()
                .queryEmbedding(Embedding.from(query))
                .maxResults(k)
                .minScore(0.0);
        if (projectId != null) {
            request.filter(MetadataFilterBuilder.metadataKey("project_id").isEqualTo(projectId));
        }
        List<UUID> out = new ArrayList<>(k);
        for (EmbeddingMatch<TextSegment> m : store.search(request.build()).matches()) {
            out.add(UUID.fromString(m.embeddingId()));
        }
        return out;
    }

    @Override
    public void close() {
        // the store holds nothing; the pool is the caller's
    }
}
