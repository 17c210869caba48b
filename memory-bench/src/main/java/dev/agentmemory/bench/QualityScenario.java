package dev.agentmemory.bench;

import java.util.List;

/**
 * 7. Retrieval quality: {@link RetrievalQualityBenchmark}'s NDCG@5 and recall@5 of recall's
 * ranking (vector only, and the default blend), within a project and across projects.
 */
final class QualityScenario {

    static final String GROUP = "7. retrieval quality";

    private QualityScenario() {
    }

    static void run(Run run) {
        int projects = run.config.qualityProjects();
        int situations = run.config.qualitySituations();
        int queries = run.config.qualityQueries();
        List<RetrievalQualityBenchmark.Quality> qualities =
                new RetrievalQualityBenchmark(projects, situations, queries, 42).run();
        for (RetrievalQualityBenchmark.Quality q : qualities) {
            String id = "quality." + (q.ranking().startsWith("vector") ? "vector" : "default") + "."
                    + (q.scope().startsWith("within") ? "project" : "all");
            run.add(Result.builder(id, GROUP, "recall ranking: " + q.ranking() + ", " + q.scope())
                    .headline("NDCG@5 " + Fmt.num(q.ndcgAt5()) + " · recall@5 " + Fmt.num(q.recallAt5()))
                    .metric("ndcg_at_5", q.ndcgAt5()).metric("recall_at_5", q.recallAt5())
                    .notes(projects + " projects × " + situations + " situations, " + queries
                            + " perturbed queries; truth: distance in the normalised situation space")
                    .build());
        }
    }
}
