package dev.agentmemory.bench;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.core.MemorySettings;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.util.List;
import java.util.Locale;

/**
 * 7. Retrieval quality: {@link RetrievalQualityBenchmark}'s NDCG@5 and recall@5 of recall's
 * ranking (vector only, and the default blend), within a project and across projects, with the
 * default local model and with all-MiniLM-L6-v2 beside it; and what recall's default threshold
 * ({@link MemorySettings#minSimilarity()}) lets through with each.
 */
final class QualityScenario {

    static final String GROUP = "7. retrieval quality";

    private QualityScenario() {
    }

    static void run(Run run) {
        int projects = run.config.qualityProjects();
        int situations = run.config.qualitySituations();
        int queries = run.config.qualityQueries();
        RetrievalQualityBenchmark benchmark = new RetrievalQualityBenchmark(projects, situations, queries, 42);
        for (Embedder model : List.of(run.model(), new OnnxEmbedder(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q))) {
            // The default model keeps the ids it always had; the comparison model is named in its ids.
            String prefix = model.modelName().equals(OnnxEmbedder.MODEL_NAME) ? "quality." : "quality.minilm.";
            for (RetrievalQualityBenchmark.Quality q : benchmark.run(model)) {
                String id = prefix + (q.ranking().startsWith("vector") ? "vector" : "default") + "."
                        + (q.scope().startsWith("within") ? "project" : "all");
                run.add(Result.builder(id, GROUP, "recall ranking: " + q.ranking() + ", " + q.scope() + ", "
                                + q.model())
                        .headline("NDCG@5 " + Fmt.num(q.ndcgAt5()) + " · recall@5 " + Fmt.num(q.recallAt5())
                                + " · true 5 nearest with vector ≥ " + RetrievalQualityBenchmark.THRESHOLD_TEXT + ": "
                                + String.format(Locale.ROOT, "%.0f%%", 100 * q.truthVectorAtThreshold()))
                        .metric("ndcg_at_5", q.ndcgAt5()).metric("recall_at_5", q.recallAt5())
                        .metric("recall_at_5_no_threshold", q.recallAt5NoThreshold())
                        .metric("kept_at_5", q.keptAt5())
                        .metric("truth_vector_at_threshold", q.truthVectorAtThreshold())
                        .metric("all_vector_at_threshold", q.allVectorAtThreshold())
                        .metric("lowest_vector_similarity", q.lowestVector())
                        .notes(projects + " projects × " + situations + " situations, " + queries
                                + " perturbed queries; truth: distance in the normalised situation space; recall at"
                                + " its default threshold " + RetrievalQualityBenchmark.THRESHOLD_TEXT
                                + " (kept: share of the 5 asked for that pass it)")
                        .build());
            }
        }
    }
}
