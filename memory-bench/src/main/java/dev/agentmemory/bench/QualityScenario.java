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
        boolean tiny = "tiny".equals(run.config.profile());
        boolean full = "full".equals(run.config.profile());
        int projects = tiny ? 3 : 10;
        int situations = tiny ? 20 : full ? 200 : 100;
        int queries = tiny ? 10 : full ? 500 : 200;
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
