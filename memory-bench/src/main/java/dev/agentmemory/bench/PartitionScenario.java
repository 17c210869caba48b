package dev.agentmemory.bench;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.Episode;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresPartitioning;
import dev.agentmemory.postgres.PostgresSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 9. Tenant layouts on PostgreSQL (issue 17, and issue 16's "one project of 100" row): the same
 * episodes, {@code per} a project, stored in each layout, then searched within one project and
 * across all, with recall@10 against exact search, and the ingest rate of each layout.
 *
 * <ul>
 *   <li>{@code plain}: one table, rows in arrival order (round robin over projects, so a project's
 *       rows lie on as many pages as it has rows);
 *   <li>{@code clustered}: one table, rows in project order, as {@code CLUSTER agent_episodes USING
 *       agent_episodes_project_time_idx} (or pg_repack) leaves them: a project's rows on few pages;
 *   <li>{@code pN}: hash-partitioned by project into N partitions ({@code schema.partitions=N}),
 *       each with its own HNSW index; {@code pN.clustered} the same with rows in project order.
 * </ul>
 *
 * <p>The rows are loaded by the bulk path (COPY, then the HNSW build: the layouts' ingest rate);
 * after the searches, the library's own path stores 5,000 more (HNSW maintained, the id checked
 * across every partition), the library's ingest rate in that layout.
 */
final class PartitionScenario {

    static final String GROUP = "9. tenant layouts";

    private static final Pattern BUFFERS = Pattern.compile("Buffers: shared(?: hit=(\\d+))?(?: read=(\\d+))?");
    private static final int LIBRARY_INGEST = 5_000;

    private record Layout(String id, String words, int partitions, boolean clustered) {
    }

    private static final List<Layout> LAYOUTS = List.of(
            new Layout("plain", "one table", 0, false),
            new Layout("clustered", "one table, rows in project order", 0, true),
            new Layout("p16", "16 hash partitions by project", 16, false),
            new Layout("p16.clustered", "16 hash partitions, rows in project order", 16, true),
            new Layout("p128", "128 hash partitions by project", 128, false));

    private PartitionScenario() {
    }

    static void run(Run run) throws Exception {
        if (run.pg == null) {
            run.log("tenant layouts need PostgreSQL: skipped");
            return;
        }
        List<int[]> sizes = switch (run.config.profile()) {
            // The full run stays at 100k too: the 1M load alone takes longer than the rest of the run
            // on two cores, so it is on demand (below).
            case "quick", "full" -> List.of(new int[] {100, 1_000});
            default -> List.of();
        };
        // One size and some layouts alone, for a run that has no time for all (issue 17's 1M
        // table: -Dbench.tenants.sizes=1000x1000 -Dbench.tenants.layouts=plain,p16).
        String only = System.getProperty("bench.tenants.sizes");
        if (only != null) {
            sizes = new ArrayList<>();
            for (String s : only.split(",")) {
                String[] pn = s.trim().split("x");
                sizes.add(new int[] {Integer.parseInt(pn[0]), Integer.parseInt(pn[1])});
            }
        }
        List<String> layouts = List.of(System.getProperty("bench.tenants.layouts",
                String.join(",", LAYOUTS.stream().map(Layout::id).toList())).split(","));
        for (int[] size : sizes) {
            int projects = size[0];
            int n = projects * size[1];
            VectorSet all = run.vectors(n);
            VectorSet data = (all.size() == n ? all : all.prefix(n)).withProjects(projects);
            VectorSet queries = run.queries().withProjects(projects);
            for (Layout layout : LAYOUTS) {
                if (layouts.contains(layout.id())) {
                    layout(run, run.pg, data, queries, projects, layout);
                }
            }
        }
    }

    private static void layout(Run run, Postgres pg, VectorSet data, VectorSet queries, int projects, Layout layout)
            throws Exception {
        int n = data.size();
        String size = SideBySideScenario.size(n);
        String prefix = "tenants." + size + "." + projects + "p." + layout.id();
        String words = size + " over " + projects + " projects, " + layout.words();
        String schema = pg.schema("t" + size.toLowerCase(Locale.ROOT) + "_" + projects + "_"
                + layout.id().replace('.', '_'));
        try (HikariDataSource pool = pg.pool(schema, 4)) {
            PostgresSchema.migrate(pool, data.dimensions());
            if (layout.partitions() > 0) {
                PostgresPartitioning.partition(pool, layout.partitions(), PostgresPartitioning.DEFAULT_BATCH_ROWS, 0,
                        (moved, total) -> { });
            }
            int[] order = order(data, projects, layout.clustered());
            String mwm = Math.max(256, (int) Math.ceil(n * 3.0 / 1024)) + "MB";
            run.log("%s: bulk import of %,d episodes into %s", prefix, n, schema);
            BulkImport.Outcome o = BulkImport.load(pool, n, j -> episode(order[j], data.project(order[j])),
                    j -> data.vector(order[j]), mwm);
            run.add(Result.builder(prefix + ".ingest.bulk", GROUP, "bulk import (COPY, HNSW built after), " + words)
                    .headline(Fmt.rate(n / o.totalSeconds(), "episodes") + " (COPY " + Fmt.num(o.copySeconds())
                            + " s + index " + Fmt.num(o.indexSeconds()) + " s)")
                    .metric("episodes_per_s", n / o.totalSeconds()).metric("copy_s", o.copySeconds())
                    .metric("index_build_s", o.indexSeconds())
                    .notes(o.indexDefinition() + (layout.partitions() > 0 ? " (one graph per partition)" : ""))
                    .build());

            PostgresAgentMemoryStore store = new PostgresAgentMemoryStore(pool, data.dimensions());
            SearchMeasure.Search search = (q, project, k) -> SideBySideScenario.ids(store.findSimilarEpisodes(q, project, k, -1.0));
            for (boolean filtered : new boolean[] {true, false}) {
                String id = prefix + (filtered ? ".project" : ".all");
                Result.Builder r = Result.builder(id, GROUP, "findSimilarEpisodes, " + words
                        + (filtered ? ", one project" : ", all projects"));
                SearchMeasure.describe(r, SearchMeasure.measure(run, data, queries, filtered, search, projects));
                String plan = Explain.search(pool, queries.vector(0), filtered ? Workload.project(0) : null);
                long[] buffers = buffers(plan);
                r.metric("pages_hit", buffers[0]).metric("pages_read", buffers[1]);
                if (filtered && n == 100_000) {
                    r.atMost("p95_ms", 5, "ms", "p95 ≤ 5 ms").atLeast("recall_at_10", 0.99, "", "recall@10 ≥ 0.99");
                }
                r.notes("limit 10, no threshold, the store's own plan; pages = shared buffers of one EXPLAIN (ANALYZE, "
                        + "BUFFERS) of query 0, largest node");
                run.add(r.build());
                SearchScenario.EXPLAINS.put(id, plan);
            }

            // The library's own ingest into the loaded layout: HNSW maintained, ids checked.
            int batch = run.config.batchSize();
            long t0 = System.nanoTime();
            for (int from = 0; from < LIBRARY_INGEST; from += batch) {
                List<Episode> episodes = new ArrayList<>(batch);
                List<float[]> vectors = new ArrayList<>(batch);
                for (int i = from; i < Math.min(LIBRARY_INGEST, from + batch); i++) {
                    int source = i % n;
                    episodes.add(episode(n + i, data.project(source)));
                    vectors.add(data.vector(source));
                }
                store.storeEpisodes(episodes, vectors);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            run.add(Result.builder(prefix + ".ingest.store", GROUP, "storeEpisodes into the loaded table, " + words)
                    .headline(Fmt.rate(LIBRARY_INGEST / seconds, "episodes"))
                    .metric("episodes_per_s", LIBRARY_INGEST / seconds)
                    .notes(LIBRARY_INGEST + " episodes, " + batch + " a batch, one thread, HNSW maintained; each insert checks"
                            + " its id in every partition's episode_id index")
                    .build());
        } finally {
            pg.drop(schema);
        }
    }

    /** Episode {@code i} of project code {@code project}: the same every time, id {@link Run#id}. */
    private static Episode episode(int i, int project) {
        return Workload.episode(Workload.project(project), new Random(1_000_003L * i + 17)).withEpisodeId(Run.id(i));
    }

    /** The load order: arrival (round robin over projects) or grouped by project. */
    private static int[] order(VectorSet data, int projects, boolean byProject) {
        int n = data.size();
        int[] order = new int[n];
        if (!byProject) {
            Arrays.setAll(order, i -> i);
            return order;
        }
        int k = 0;
        for (int p = 0; p < projects; p++) {
            for (int i = p; i < n; i += projects) {
                order[k++] = i;
            }
        }
        return order;
    }

    /** @return shared hit and read of the search plan's first Buffers line (its top node) */
    static long[] buffers(String plan) {
        // After the last of Explain's "-- " comments comes the search's own plan.
        int last = plan.lastIndexOf("\n-- ");
        int start = last < 0 ? 0 : plan.indexOf('\n', last + 1);
        Matcher m = BUFFERS.matcher(plan.substring(Math.max(0, start)));
        long hit = 0;
        long read = 0;
        while (m.find()) {
            // The top node carries the totals of the nodes below it.
            hit = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
            read = m.group(2) == null ? 0 : Long.parseLong(m.group(2));
            break;
        }
        return new long[] {hit, read};
    }
}
