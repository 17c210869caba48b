package dev.agentmemory.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.CachingEmbedder;
import dev.agentmemory.core.MemorySettings;
import dev.agentmemory.core.Ranking;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * How well recall finds the situations nearest to the present one.
 *
 * <p>It generates projects and situations (numbers and states, as an orchestrator perceives them),
 * remembers one decision per situation, then asks with queries that are perturbed copies of stored
 * situations. The ground truth is the distance in the normalised situation space: each number
 * scaled by its range, each state 0 when equal and 1 when not, averaged over fields. It reports
 * NDCG@5 (gain of an episode: {@code max(0, 1 - d / d20)}, where {@code d20} is the query's
 * distance to its 20th nearest situation) and recall@5 (the share of the true 5 nearest among the
 * 5 recalled), for ranking by the vector alone ("before") and by the default ranking ("after"),
 * within the query's project and across all projects. Recall runs at its default threshold
 * ({@link MemorySettings#minSimilarity()}); beside it, what the threshold costs: recall@5 with the
 * threshold off, the share of the 5 asked for that pass it, and the share of the true 5 nearest
 * (and of all episodes) whose vector similarity reaches it. {@link #main} measures the default
 * model and all-MiniLM-L6-v2 ({@code --models bge} for the default model alone).
 *
 * <p>Run: {@code mvn -B -q -pl memory-bench -am package -DskipTests && java -cp "$(cat
 * memory-bench/target/classpath.txt):memory-bench/target/classes" dev.agentmemory.bench.RetrievalQualityBenchmark}
 * or through {@code bin/bench}.
 */
public final class RetrievalQualityBenchmark {

    static final String[] AVAILABILITY = {"available", "partial", "unavailable"};
    static final String[] PHASE = {"planning", "execution", "stabilisation"};
    // name, min, max, decimals
    static final Object[][] NUMBERS = {
        {"backlog_tasks", 0, 60, 0},
        {"team_size", 1, 10, 0},
        {"velocity", 0.5, 5.0, 1},
        {"sprint_number", 1, 30, 0},
        {"days_since_last_sprint", 0, 30, 0},
        {"blocked_tasks", 0, 10, 0},
    };

    private final int projects;
    private final int situationsPerProject;
    private final int queries;
    private final long seed;
    int[] extraCandidateFactors = {};

    RetrievalQualityBenchmark(int projects, int situationsPerProject, int queries, long seed) {
        this.projects = projects;
        this.situationsPerProject = situationsPerProject;
        this.queries = queries;
        this.seed = seed;
    }

    /**
     * The measured quality of one configuration in one scope. Recall runs as an agent calls it,
     * with the default threshold ({@link #THRESHOLD}); the threshold's cost is measured beside it.
     *
     * @param model the embedder's model name
     * @param ranking the ranking's name
     * @param scope within the query's project, or across projects
     * @param ndcgAt5 NDCG@5 at the default threshold
     * @param recallAt5 the share of the true 5 nearest among the 5 recalled, at the default threshold
     * @param recallAt5NoThreshold the same with the threshold off: what the ranking alone finds
     * @param keptAt5 the mean share of the 5 asked for that recall returned at the default threshold
     * @param truthVectorAtThreshold the share of the true 5 nearest whose vector similarity to the
     *     query reaches the default threshold (what the store's search lets through)
     * @param allVectorAtThreshold the share of every episode in scope whose vector similarity
     *     reaches it (1 means the threshold tells nothing apart)
     * @param lowestVector the lowest vector similarity of an episode in scope to the query, averaged
     *     over the queries: how far the threshold is from removing anything
     * @param queries how many queries
     */
    record Quality(String model, String ranking, String scope, double ndcgAt5, double recallAt5,
                   double recallAt5NoThreshold, double keptAt5, double truthVectorAtThreshold,
                   double allVectorAtThreshold, double lowestVector, int queries) {
    }

    /** The default least similarity of recall, which an agent gets unless it configures another. */
    static final double THRESHOLD = MemorySettings.ofDefaults().minSimilarity();
    /** {@link #THRESHOLD} as the reports show it. */
    static final String THRESHOLD_TEXT = String.valueOf(THRESHOLD);

    /**
     * The generated corpus and queries: the same for the same seed and sizes.
     *
     * @param corpus one episode per situation
     * @param queryContexts the perturbed situations recall is asked with
     * @param queryProjects the project of the situation each query was perturbed from
     */
    record Data(List<Episode> corpus, List<Map<String, Object>> queryContexts, List<String> queryProjects) {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = Args.parse(args);
        RetrievalQualityBenchmark b = new RetrievalQualityBenchmark(
                Integer.parseInt(opts.getOrDefault("projects", "10")),
                Integer.parseInt(opts.getOrDefault("situations", "100")),
                Integer.parseInt(opts.getOrDefault("queries", "200")),
                Long.parseLong(opts.getOrDefault("seed", "42")));
        if (opts.containsKey("candidate-factors")) {
            b.extraCandidateFactors = java.util.Arrays.stream(opts.get("candidate-factors").split(","))
                    .mapToInt(Integer::parseInt).toArray();
        }
        List<Quality> results = new ArrayList<>(b.run(new OnnxEmbedder()));
        if (!"bge".equals(opts.get("models"))) {
            results.addAll(b.run(new OnnxEmbedder(OnnxEmbedder.Model.ALL_MINILM_L6_V2_Q)));
        }
        Path out = Path.of(opts.getOrDefault("out", "bench-results"));
        Files.createDirectories(out);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        json.writeValue(out.resolve("retrieval-quality.json").toFile(), Map.of(
                "projects", b.projects, "situationsPerProject", b.situationsPerProject,
                "queries", b.queries, "seed", b.seed, "results", results));
        System.out.println("wrote " + out.resolve("retrieval-quality.json"));
    }

    /** @return the corpus and queries of this seed and these sizes */
    Data data() {
        Random random = new Random(seed);
        List<Episode> corpus = new ArrayList<>();
        for (int p = 0; p < projects; p++) {
            String project = "project-" + p;
            for (int s = 0; s < situationsPerProject; s++) {
                corpus.add(episode(project, situation(random), random));
            }
        }
        List<Map<String, Object>> queryContexts = new ArrayList<>();
        List<String> queryProjects = new ArrayList<>();
        for (int q = 0; q < queries; q++) {
            Episode base = corpus.get(random.nextInt(corpus.size()));
            queryContexts.add(perturb(base.perception(), random));
            queryProjects.add(base.projectId());
        }
        return new Data(corpus, queryContexts, queryProjects);
    }

    /**
     * @param model the embedder recall uses; each text is embedded once for all the rankings
     * @return the quality of every ranking in both scopes
     */
    List<Quality> run(Embedder model) {
        Data data = data();
        List<Episode> corpus = data.corpus();
        List<Map<String, Object>> queryContexts = data.queryContexts();
        List<String> queryProjects = data.queryProjects();
        CachingEmbedder embedder = new CachingEmbedder(model, 4 * (corpus.size() + queries) + 16);

        List<Quality> results = new ArrayList<>();
        List<Ranking> rankings = new ArrayList<>(List.of(Ranking.vectorOnly(), Ranking.ofDefaults()));
        for (int factor : extraCandidateFactors) {
            Ranking d = Ranking.ofDefaults();
            rankings.add(new Ranking(d.vectorWeight(), 0, 0, d.recencyHalfLife(), factor));
        }
        for (Ranking ranking : rankings) {
            String name = ranking.equals(Ranking.vectorOnly()) ? "vector only (before)"
                    : ranking.equals(Ranking.ofDefaults()) ? "default (after)" : "candidates x" + ranking.candidateFactor();
            System.out.printf(Locale.ROOT, "remembering %d situations for ranking '%s' with %s ...%n", corpus.size(),
                    name, model.modelName());
            MemorySettings settings = MemorySettings.builder().ranking(ranking).build();
            MemorySettings noThreshold = MemorySettings.builder().ranking(ranking).minSimilarity(-1).build();
            try (AgentMemorySystem memory = AgentMemory.builder().embedder(embedder).settings(settings).build();
                 AgentMemorySystem unfiltered = AgentMemory.builder().embedder(embedder).settings(noThreshold).build()) {
                long t0 = System.nanoTime();
                Map<UUID, Episode> byId = new HashMap<>();
                for (int i = 0; i < corpus.size(); i += 256) {
                    List<Episode> batch = withIds(corpus.subList(i, Math.min(corpus.size(), i + 256)));
                    memory.rememberDecisions(batch);
                    unfiltered.rememberDecisions(batch);
                    for (Episode e : batch) {
                        byId.put(e.episodeId(), e);
                    }
                }
                System.out.printf(Locale.ROOT, "  remembered in %.1f s%n", (System.nanoTime() - t0) / 1e9);
                for (boolean withinProject : new boolean[] {true, false}) {
                    double ndcg = 0;
                    double recall = 0;
                    double recallAll = 0;
                    double kept = 0;
                    double truthPass = 0;
                    double allPass = 0;
                    double lowest = 0;
                    for (int q = 0; q < queries; q++) {
                        String project = withinProject ? queryProjects.get(q) : null;
                        Map<String, Object> context = queryContexts.get(q);
                        List<Episode> got = memory.recallSimilarSituations(context, project, 5);
                        List<Episode> gotAll = unfiltered.recallSimilarSituations(context, project, 5);
                        List<Episode> candidates = new ArrayList<>();
                        for (Episode e : byId.values()) {
                            if (project == null || e.projectId().equals(project)) {
                                candidates.add(e);
                            }
                        }
                        double[] m = score(context, got, candidates);
                        ndcg += m[0];
                        recall += m[1];
                        recallAll += score(context, gotAll, candidates)[1];
                        kept += got.size() / 5.0;
                        double[] pass = vectorPass(unfiltered, context, project, candidates);
                        truthPass += pass[0];
                        allPass += pass[1];
                        lowest += pass[2];
                    }
                    Quality quality = new Quality(model.modelName(), name,
                            withinProject ? "within project" : "across projects", ndcg / queries, recall / queries,
                            recallAll / queries, kept / queries, truthPass / queries, allPass / queries, lowest / queries,
                            queries);
                    System.out.printf(Locale.ROOT,
                            "  %-22s %-16s NDCG@5 %.3f  recall@5 %.3f (no threshold %.3f)  kept %.2f  "
                                    + "vector >= %.1f: true 5 %.2f, all %.2f, lowest %.3f%n",
                            quality.ranking(), quality.scope(), quality.ndcgAt5(), quality.recallAt5(),
                            quality.recallAt5NoThreshold(), quality.keptAt5(), THRESHOLD,
                            quality.truthVectorAtThreshold(), quality.allVectorAtThreshold(), quality.lowestVector());
                    results.add(quality);
                }
            }
        }
        return results;
    }

    private static List<Episode> withIds(List<Episode> batch) {
        List<Episode> out = new ArrayList<>(batch.size());
        for (Episode e : batch) {
            out.add(e.withEpisodeId(UUID.randomUUID()));
        }
        return out;
    }

    // [share of the true 5 nearest, share of all candidates] whose vector similarity to the query
    // reaches the default threshold (what the store's search at that threshold would let through),
    // and the lowest vector similarity of all.
    private static double[] vectorPass(AgentMemorySystem memory, Map<String, Object> context, String project,
                                       List<Episode> candidates) {
        float[] query = memory.episodeEmbedder().embedContext(context);
        List<Episode> all = memory.episodes().findSimilarEpisodes(query, project, candidates.size(), -1);
        Map<UUID, Double> similarity = new HashMap<>();
        int pass = 0;
        double lowest = 1;
        for (Episode e : all) {
            lowest = Math.min(lowest, e.similarity());
            similarity.put(e.episodeId(), e.similarity());
            if (e.similarity() >= THRESHOLD) {
                pass++;
            }
        }
        List<Episode> truth = new ArrayList<>(candidates);
        truth.sort(Comparator.comparingDouble(e -> distance(context, e.perception())));
        int n = Math.min(5, truth.size());
        int truthPass = 0;
        for (int i = 0; i < n; i++) {
            Double s = similarity.get(truth.get(i).episodeId());
            if (s != null && s >= THRESHOLD) {
                truthPass++;
            }
        }
        return new double[] {truthPass / (double) n, pass / (double) candidates.size(), lowest};
    }

    // [NDCG@5, recall@5] of what recall returned, against the truth among the candidates.
    static double[] score(Map<String, Object> query, List<Episode> got, List<Episode> candidates) {
        List<Episode> truth = new ArrayList<>(candidates);
        Map<Episode, Double> distance = new HashMap<>();
        for (Episode e : truth) {
            distance.put(e, distance(query, e.perception()));
        }
        truth.sort(Comparator.comparingDouble(distance::get));
        double d20 = distance.get(truth.get(Math.min(19, truth.size() - 1)));
        double dcg = 0;
        double ideal = 0;
        for (int i = 0; i < 5; i++) {
            double discount = 1 / (Math.log(i + 2) / Math.log(2));
            if (i < truth.size()) {
                ideal += gain(distance.get(truth.get(i)), d20) * discount;
            }
            if (i < got.size()) {
                Episode e = find(got.get(i).episodeId(), candidates);
                dcg += gain(distance(query, e.perception()), d20) * discount;
            }
        }
        Set<UUID> top5 = new HashSet<>();
        for (int i = 0; i < Math.min(5, truth.size()); i++) {
            top5.add(truth.get(i).episodeId());
        }
        int hits = 0;
        for (int i = 0; i < Math.min(5, got.size()); i++) {
            if (top5.contains(got.get(i).episodeId())) {
                hits++;
            }
        }
        return new double[] {ideal == 0 ? 1 : dcg / ideal, hits / (double) top5.size()};
    }

    private static Episode find(UUID id, List<Episode> candidates) {
        for (Episode e : candidates) {
            if (e.episodeId().equals(id)) {
                return e;
            }
        }
        throw new IllegalStateException("recalled episode " + id + " is not among the candidates");
    }

    private static double gain(double d, double d20) {
        return d20 == 0 ? (d == 0 ? 1 : 0) : Math.max(0, 1 - d / d20);
    }

    /** Distance in the normalised situation space, in [0,1]. */
    static double distance(Map<String, Object> a, Map<String, Object> b) {
        double sum = 0;
        int fields = 0;
        for (Object[] n : NUMBERS) {
            String key = (String) n[0];
            double range = ((Number) n[2]).doubleValue() - ((Number) n[1]).doubleValue();
            sum += Math.abs(((Number) a.get(key)).doubleValue() - ((Number) b.get(key)).doubleValue()) / range;
            fields++;
        }
        for (String key : List.of("team_availability", "phase")) {
            sum += a.get(key).equals(b.get(key)) ? 0 : 1;
            fields++;
        }
        return sum / fields;
    }

    static Map<String, Object> situation(Random r) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (Object[] n : NUMBERS) {
            s.put((String) n[0], draw(r, ((Number) n[1]).doubleValue(), ((Number) n[2]).doubleValue(), (int) n[3]));
        }
        s.put("team_availability", AVAILABILITY[r.nextInt(AVAILABILITY.length)]);
        s.put("phase", PHASE[r.nextInt(PHASE.length)]);
        return s;
    }

    // A query is a stored situation seen again a little later: every number moves by up to 8% of
    // its range, and one time in ten the team's availability changes.
    static Map<String, Object> perturb(Map<String, Object> base, Random r) {
        Map<String, Object> s = new LinkedHashMap<>(base);
        for (Object[] n : NUMBERS) {
            String key = (String) n[0];
            double min = ((Number) n[1]).doubleValue();
            double max = ((Number) n[2]).doubleValue();
            double v = ((Number) base.get(key)).doubleValue() + (r.nextDouble() * 2 - 1) * 0.08 * (max - min);
            s.put(key, round(Math.max(min, Math.min(max, v)), (int) n[3]));
        }
        if (r.nextInt(10) == 0) {
            s.put("team_availability", AVAILABILITY[r.nextInt(AVAILABILITY.length)]);
        }
        return s;
    }

    private static Object draw(Random r, double min, double max, int decimals) {
        return round(min + r.nextDouble() * (max - min), decimals);
    }

    private static Object round(double v, int decimals) {
        if (decimals == 0) {
            return (int) Math.round(v);
        }
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    private static Episode episode(String project, Map<String, Object> situation, Random r) {
        int backlog = (int) situation.get("backlog_tasks");
        boolean create = backlog >= 10 && !"unavailable".equals(situation.get("team_availability"));
        return Episode.builder(project)
                .perception(situation)
                .reasoning(Map.of("summary", create ? "enough backlog and a team to work it" : "wait for backlog or team"))
                .action(Map.of("sprint_created", create, "tasks_assigned", create ? Math.min(backlog, 3 + r.nextInt(8)) : 0))
                .sprintId(create ? "sprint-" + situation.get("sprint_number") : null)
                .build();
    }

    /** The tiny argument parser the benchmarks share: {@code --key value} pairs. */
    static final class Args {
        private Args() {
        }

        static Map<String, String> parse(String[] args) {
            Map<String, String> out = new HashMap<>();
            for (int i = 0; i < args.length; i++) {
                if (!args[i].startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                }
                String key = args[i].substring(2);
                if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                    out.put(key, args[++i]);
                } else {
                    out.put(key, "true");
                }
            }
            return out;
        }
    }
}
