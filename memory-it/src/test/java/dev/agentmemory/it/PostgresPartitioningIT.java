package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.ConfigurationException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.postgres.PostgresAgentMemoryStore;
import dev.agentmemory.postgres.PostgresPartitioning;
import dev.agentmemory.postgres.PostgresSchema;
import dev.agentmemory.postgres.PostgresStoreOptions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * agent_episodes partitioned by project: the move of an existing table (taken over from the earlier
 * deployment, its writers writing throughout) loses no row and resumes after an interruption; a
 * project's search reads one partition; a search across projects merges the partitions' answers
 * into the same answer as the plain table's.
 */
class PostgresPartitioningIT {

    private static final String PREFIX = TestDatabase.schemaName(PostgresPartitioningIT.class);
    private static final int DIMENSIONS = 16;
    private static final int PROJECTS = 7;
    private static final Pattern PARTITION = Pattern.compile("agent_episodes_p\\d+");

    @Test
    void movingATakenOverTableKeepsEveryRowAndEveryWriteAndResumesAfterItStopped() throws Exception {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_move", 6)) {
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                EarlierDeployment.createTables(s, DIMENSIONS);
            }
            // Taken over (V5 gives the ids their default), then the earlier deployment's rows,
            // written as its Python writers write: no ids.
            PostgresSchema.migrate(ds, DIMENSIONS);
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("""
                        INSERT INTO agent_episodes (project_id, perception, reasoning, action, outcome_quality, embedding)
                        SELECT 'project-' || (i %% %d), jsonb_build_object('i', i), '{}', '{"go": true}',
                               CASE WHEN i %% 3 = 0 THEN (i %% 10) / 10.0 END,
                               (SELECT array_agg(random()::real) FROM generate_series(1, %d) WHERE i > 0)::vector
                        FROM generate_series(1, 2000) i""".formatted(PROJECTS, DIMENSIONS));
            }
            PostgresAgentMemoryStore store = new PostgresAgentMemoryStore(ds, DIMENSIONS);
            List<String> keys = CitusReadyKeysIT.rows(ds,
                    "SELECT episode_id::text FROM agent_episodes ORDER BY project_id, episode_id");

            List<long[]> reported = new ArrayList<>();
            PostgresPartitioning.Outcome first = PostgresPartitioning.partition(ds, 4, 300, 3,
                    (moved, total) -> reported.add(new long[] {moved, total}));
            assertThat(first.done()).isFalse();
            assertThat(first.moved()).isEqualTo(900);
            assertThat(reported).extracting(r -> r[0]).containsExactly(300L, 600L, 900L);
            assertThat(reported).extracting(r -> r[1]).containsOnly(2000L);
            assertThat(count(ds, "agent_episodes_partitioned")).isEqualTo(900);
            assertThat(PostgresPartitionedStoreIT.partitions(ds)).isZero();

            // Writes while the move stands still: each must arrive in the partitioned table.
            UUID plainInsert = UUID.fromString(CitusReadyKeysIT.rows(ds, """
                    INSERT INTO agent_episodes (project_id, perception, reasoning, action)
                    VALUES ('project-0', '{"late": true}', '{}', '{}') RETURNING episode_id""").get(0));
            UUID stored = store.storeEpisode(episode("project-3"), vector(new Random(5)));
            UUID copiedThenChanged = UUID.fromString(keys.get(0));
            UUID copiedThenDeleted = UUID.fromString(keys.get(1));
            UUID notYetCopiedChanged = UUID.fromString(keys.get(keys.size() - 1));
            store.updateEpisodeOutcome(copiedThenChanged, Map.of("done", 1), 0.25);
            assertThat(store.deleteEpisode(copiedThenDeleted)).isTrue();
            store.updateEpisodeOutcome(notYetCopiedChanged, Map.of("done", 2), 0.75);

            // Interrupted again, this time by a failure after its first batch.
            assertThatThrownBy(() -> PostgresPartitioning.partition(ds, 4, 300, 0, (moved, total) -> {
                throw new IllegalStateException("the operator pressed ctrl-c");
            })).hasMessageContaining("ctrl-c");
            assertThat(count(ds, "agent_episodes_partitioned")).isGreaterThanOrEqualTo(1200);
            assertThatThrownBy(() -> PostgresPartitioning.partition(ds, 8, 300, 0, (m, t) -> { }))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("into 4 partitions is under way");

            // Resumed to the end while a writer keeps storing episodes.
            AtomicBoolean stop = new AtomicBoolean();
            ConcurrentLinkedQueue<UUID> written = new ConcurrentLinkedQueue<>();
            Thread writer = new Thread(() -> {
                Random r = new Random(11);
                while (!stop.get()) {
                    written.add(store.storeEpisode(episode("project-" + r.nextInt(PROJECTS)), vector(r)));
                }
            });
            writer.start();
            PostgresPartitioning.Outcome last;
            try {
                last = PostgresPartitioning.partition(ds, 4, 300, 0, (m, t) -> { });
            } finally {
                stop.set(true);
                writer.join();
            }
            assertThat(last.done()).isTrue();
            assertThat(PostgresPartitionedStoreIT.partitions(ds)).isEqualTo(4);
            assertThat(CitusReadyKeysIT.rows(ds, "SELECT value FROM agent_memory_meta WHERE key LIKE 'partitions%'"))
                    .containsExactly("4");

            // Every row, as the plain table (kept as agent_episodes_unpartitioned) holds it.
            // (The writer may have stored a few more after the swap, into the partitioned table only.)
            assertThat(count(ds, "agent_episodes")).isEqualTo(2000 + 2 - 1 + written.size());
            assertThat(count(ds, "agent_episodes_unpartitioned")).isBetween(2000L + 2 - 1, 2000L + 2 - 1 + written.size());
            assertThat(checksum(ds, "agent_episodes WHERE episode_id IN (SELECT episode_id FROM agent_episodes_unpartitioned)"))
                    .isEqualTo(checksum(ds, "agent_episodes_unpartitioned"));
            for (UUID id : List.of(plainInsert, stored)) {
                assertThat(store.getEpisodeById(id)).as(id.toString()).isPresent();
            }
            assertThat(written).allSatisfy(id -> assertThat(store.getEpisodeById(id)).isPresent());
            assertThat(store.getEpisodeById(copiedThenDeleted)).isEmpty();
            assertThat(store.getEpisodeById(copiedThenChanged).orElseThrow().outcomeQuality()).isEqualTo(0.25);
            assertThat(store.getEpisodeById(notYetCopiedChanged).orElseThrow().outcomeQuality()).isEqualTo(0.75);
            // No trigger is left on the tables, and the earlier writers insert into the partitions.
            assertThat(CitusReadyKeysIT.rows(ds, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")).isEmpty();
            UUID after = UUID.fromString(CitusReadyKeysIT.rows(ds, """
                    INSERT INTO agent_episodes (project_id, perception, reasoning, action)
                    VALUES ('project-1', '{}', '{}', '{}') RETURNING episode_id""").get(0));
            assertThat(store.getEpisodeById(after)).isPresent();

            // Once partitioned, asking again changes nothing; another count is refused.
            assertThat(PostgresPartitioning.partition(ds, 4, 300, 0, (m, t) -> { }).moved()).isZero();
            assertThatThrownBy(() -> PostgresPartitioning.partition(ds, 8, 300, 0, (m, t) -> { }))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("already partitioned");
        }
    }

    @Test
    void aProjectsSearchReadsOnePartitionAndASearchAcrossProjectsReadsThemAll() throws SQLException {
        try (HikariDataSource ds = TestDatabase.freshSchema(PREFIX + "_plan", 3)) {
            PostgresSchema.migrate(ds, DIMENSIONS);
            PostgresPartitioning.partition(ds, 8, 1000, 0, (m, t) -> { });
            load(new PostgresAgentMemoryStore(ds, DIMENSIONS), 1);
            String q = Arrays.toString(vector(new Random(3)));
            String exact = """
                    SELECT episode_id FROM (
                      SELECT episode_id, embedding <=> ?::vector AS distance FROM agent_episodes
                      WHERE embedding IS NOT NULL AND project_id = ? OFFSET 0) c
                    ORDER BY distance LIMIT 10""";
            String indexed = """
                    SELECT episode_id FROM agent_episodes WHERE embedding IS NOT NULL AND project_id = ?
                    ORDER BY embedding <=> ?::vector LIMIT 10""";
            assertThat(partitionsIn(explain(ds, "EXPLAIN " + exact, q, "project-2"))).hasSize(1);
            assertThat(partitionsIn(explain(ds, "EXPLAIN " + indexed, "project-2", q))).hasSize(1);
            // A generic plan, as pgjdbc's server-prepared statements may get: pruned when it runs.
            try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET plan_cache_mode = force_generic_plan");
                s.execute("PREPARE by_project(text, vector) AS " + indexed.replace("?::vector", "$2").replace("?", "$1"));
                String plan = String.join("\n", lines(s, "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF)"
                        + " EXECUTE by_project('project-2', '" + q + "')"));
                assertThat(plan).contains("Subplans Removed: 7");
                assertThat(partitionsIn(plan.replaceAll("(?m)^.*never executed.*$", ""))).hasSize(1);
            }
            String all = "EXPLAIN SELECT episode_id FROM agent_episodes WHERE embedding IS NOT NULL"
                    + " ORDER BY embedding <=> ?::vector LIMIT 10";
            assertThat(partitionsIn(explain(ds, all, q))).hasSize(8);
        }
    }

    @Test
    void aSearchAcrossProjectsAnswersAsThePlainTableDoesWithItsLimitAndThreshold() throws SQLException {
        try (HikariDataSource plainDs = TestDatabase.freshSchema(PREFIX + "_plain", 3);
             HikariDataSource partitionedDs = TestDatabase.freshSchema(PREFIX + "_parted", 3)) {
            PostgresSchema.migrate(plainDs, DIMENSIONS);
            PostgresSchema.migrate(partitionedDs, DIMENSIONS);
            PostgresPartitioning.partition(partitionedDs, 8, 1000, 0, (m, t) -> { });
            PostgresAgentMemoryStore plain = new PostgresAgentMemoryStore(plainDs, DIMENSIONS);
            PostgresAgentMemoryStore partitioned = new PostgresAgentMemoryStore(partitionedDs, DIMENSIONS);
            List<float[]> vectors = load(plain, 7);
            load(partitioned, 7);
            List<UUID> ids = new ArrayList<>();
            for (String id : CitusReadyKeysIT.rows(plainDs, "SELECT episode_id FROM agent_episodes ORDER BY perception->>'i'")) {
                ids.add(UUID.fromString(id));
            }
            Random r = new Random(99);
            double hits = 0;
            double asked = 0;
            for (int i = 0; i < 20; i++) {
                float[] q = vector(r);
                for (double threshold : new double[] {-1.0, 0.6}) {
                    List<UUID> truth = exact(vectors, ids, q, null, threshold);
                    List<UUID> a = idsOf(plain.findSimilarEpisodes(q, null, 10, threshold));
                    List<UUID> b = idsOf(partitioned.findSimilarEpisodes(q, null, 10, threshold));
                    assertThat(b).hasSizeLessThanOrEqualTo(10).doesNotHaveDuplicates();
                    assertThat(partitioned.findSimilarEpisodes(q, null, 10, threshold))
                            .allSatisfy(e -> assertThat(e.similarity()).isGreaterThanOrEqualTo(threshold))
                            .isSortedAccordingTo(Comparator.comparing((Episode e) -> e.similarity()).reversed());
                    Set<UUID> expected = new HashSet<>(truth);
                    hits += b.stream().filter(expected::contains).count();
                    asked += truth.size();
                    // Both layouts find the true neighbours alike: no more than one apart in each answer.
                    long missedA = truth.stream().filter(t -> !a.contains(t)).count();
                    long missedB = truth.stream().filter(t -> !b.contains(t)).count();
                    assertThat(Math.abs(missedA - missedB)).isLessThanOrEqualTo(1);
                    // Within a project, answered exactly on both: the same answer.
                    String project = "project-" + (i % PROJECTS);
                    assertThat(idsOf(partitioned.findSimilarEpisodes(q, project, 10, threshold)))
                            .containsExactlyElementsOf(exact(vectors, ids, q, project, threshold))
                            .containsExactlyElementsOf(idsOf(plain.findSimilarEpisodes(q, project, 10, threshold)));
                }
            }
            assertThat(hits / asked).as("recall@10 across projects, partitioned").isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void theOptionIsCheckedWhereItIsGiven() {
        assertThatThrownBy(() -> PostgresStoreOptions.fromProperties(Map.of("schema.partitions", "-1")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("schema.partitions");
        assertThatThrownBy(() -> PostgresStoreOptions.builder().partitions(1025).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("outside 0 to 1024");
        assertThat(PostgresStoreOptions.fromProperties(Map.of("schema.partitions", "16")).partitions()).isEqualTo(16);
        assertThat(PostgresStoreOptions.ofDefaults().partitions()).isZero();
    }

    /** 2,100 episodes over the projects, 300 a project, stored by the library; the vectors in order. */
    private static List<float[]> load(PostgresAgentMemoryStore store, long seed) {
        Random r = new Random(seed);
        List<Episode> episodes = new ArrayList<>();
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 2100; i++) {
            episodes.add(Episode.builder("project-" + (i % PROJECTS)).episodeId(new UUID(seed, i))
                    .perception(Map.of("i", String.format("%05d", i))).reasoning(Map.of()).action(Map.of("go", true))
                    .build());
            vectors.add(vector(r));
        }
        store.storeEpisodes(episodes, vectors);
        return vectors;
    }

    private static List<UUID> exact(List<float[]> vectors, List<UUID> ids, float[] q, String project, double threshold) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            if ((project == null || project.equals("project-" + (i % PROJECTS))) && cosine(q, vectors.get(i)) >= threshold) {
                order.add(i);
            }
        }
        order.sort(Comparator.comparingDouble((Integer i) -> -cosine(q, vectors.get(i))));
        return order.stream().limit(10).map(ids::get).toList();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    private static List<UUID> idsOf(List<Episode> episodes) {
        return episodes.stream().map(Episode::episodeId).toList();
    }

    private static Episode episode(String project) {
        return Episode.builder(project).perception(Map.of("late", true)).reasoning(Map.of()).action(Map.of()).build();
    }

    private static float[] vector(Random r) {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static long count(HikariDataSource ds, String table) throws SQLException {
        return Long.parseLong(CitusReadyKeysIT.rows(ds, "SELECT count(*) FROM " + table).get(0));
    }

    /** Every column of every row, in id order: equal only when no value was lost or changed. */
    private static String checksum(HikariDataSource ds, String table) throws SQLException {
        return CitusReadyKeysIT.rows(ds, "SELECT md5(string_agg(t::text, '|' ORDER BY episode_id)) FROM (SELECT * FROM "
                + table + ") t").get(0);
    }

    private static String explain(HikariDataSource ds, String sql, String... params) throws SQLException {
        try (Connection c = ds.getConnection(); PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                p.setString(i + 1, params[i]);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return String.join("\n", out);
        }
    }

    private static List<String> lines(Statement s, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The partitions a plan names (a partition's indexes are named after it). */
    private static Set<String> partitionsIn(String plan) {
        Set<String> found = new HashSet<>();
        Matcher m = PARTITION.matcher(plan);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }
}
