package dev.agentmemory.bench;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Measures one store's k-nearest search over the run's query vectors: latency of every measured
 * query, and recall@k against the exact neighbours.
 */
final class SearchMeasure {

    /** The search under measurement. */
    @FunctionalInterface
    interface Search {
        /** @return the ids found, nearest first */
        List<UUID> find(float[] query, @Nullable String projectId, int k);
    }

    /**
     * @param latency the measured queries' latency
     * @param recall mean recall@k over the queries that had a truth
     * @param meanFound mean number of results per query
     * @param from when the queries began (epoch ms), the truth computed before
     * @param to when they ended
     */
    record Outcome(Latency.Summary latency, double recall, double meanFound, long from, long to) {
    }

    private SearchMeasure() {
    }

    /**
     * @param run the run (its query vectors and configuration)
     * @param data the stored vectors, for the truth
     * @param filtered whether each query is limited to one project (query {@code q} to project
     *     {@code q mod projects})
     * @param search the search
     * @return what it measured
     */
    static Outcome measure(Run run, VectorSet data, boolean filtered, Search search) {
        return measure(run, data, run.queries(), filtered, search);
    }

    /** As {@link #measure(Run, VectorSet, boolean, Search)} with query vectors of one's own. */
    static Outcome measure(Run run, VectorSet data, VectorSet queries, boolean filtered, Search search) {
        return measure(run, data, queries, filtered, search, run.config.projects());
    }

    /** As {@link #measure(Run, VectorSet, VectorSet, boolean, Search)} over {@code projects} projects of the data's own. */
    static Outcome measure(Run run, VectorSet data, VectorSet queries, boolean filtered, Search search, int projects) {
        BenchConfig c = run.config;
        int warm = c.searchWarmup();
        // At a million episodes an exact search takes a tenth of a second: fewer queries there, so
        // that a run keeps its time budget (at least 100, and no more than 2e8 vector reads).
        int count = Math.min(queries.size() - warm, Math.max(100, 200_000_000 / Math.max(1, data.size())));
        List<float[]> measured = new java.util.ArrayList<>();
        for (int q = warm; q < warm + count; q++) {
            measured.add(queries.vector(q));
        }
        int truthCount = Math.min(measured.size(), 200);
        List<int[]> truth = new java.util.ArrayList<>();
        for (int q = 0; q < truthCount; q++) {
            truth.add(null);
        }
        // The truth per project: each query q is filtered to its own project.
        if (filtered) {
            for (int q = 0; q < truthCount; q++) {
                truth.set(q, data.nearest(measured.get(q), Run.K, (q + warm) % projects));
            }
        } else {
            List<int[]> all = data.nearestAll(measured.subList(0, truthCount), Run.K, -1);
            for (int q = 0; q < truthCount; q++) {
                truth.set(q, all.get(q));
            }
        }
        long from = System.currentTimeMillis();
        for (int q = 0; q < warm; q++) {
            search.find(queries.vector(q), filtered ? Workload.project(q % projects) : null, Run.K);
        }
        Latency latency = new Latency();
        double recallSum = 0;
        double found = 0;
        for (int i = 0; i < measured.size(); i++) {
            int q = i + warm;
            String project = filtered ? Workload.project(q % projects) : null;
            float[] vector = measured.get(i);
            long t0 = System.nanoTime();
            List<UUID> ids = search.find(vector, project, Run.K);
            latency.record(System.nanoTime() - t0);
            found += ids.size();
            if (i < truthCount) {
                recallSum += recall(ids, truth.get(i));
            }
        }
        return new Outcome(latency.summary(), recallSum / truthCount, found / measured.size(), from,
                System.currentTimeMillis());
    }

    static double recall(List<UUID> found, int[] truth) {
        if (truth.length == 0) {
            return 1;
        }
        Set<Integer> t = new HashSet<>();
        for (int i : truth) {
            t.add(i);
        }
        int hits = 0;
        for (UUID id : found) {
            if (t.contains(Run.index(id))) {
                hits++;
            }
        }
        return hits / (double) t.size();
    }

    /** Adds an outcome's numbers to a result. */
    static void describe(Result.Builder r, Outcome o) {
        r.started(o.from()).ended(o.to()).latency(o.latency()).metric("recall_at_10", o.recall()).metric("mean_found", o.meanFound());
        r.headline(Fmt.latency(o.latency()) + " · recall@10 " + Fmt.num(o.recall()));
    }
}
