package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import dev.agentmemory.api.Embedder;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.spi.EmbedderConfig;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.api.spi.StoreMaintenance;
import dev.agentmemory.api.spi.StoreMaintenance.StoredEpisode;
import dev.agentmemory.api.spi.StoreMaintenance.StoredStrategy;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.core.EpisodeEmbedder;
import dev.agentmemory.core.Providers;
import dev.agentmemory.testkit.GoingDownEmbedder;
import dev.agentmemory.testkit.ProjectedEmbedder;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every command of the command line against PostgreSQL with pgvector, each test in a schema of its
 * own, configured as an operator would: through AGENT_MEMORY_* variables. Export and import move
 * episodes between the in-memory store and PostgreSQL both ways unchanged; reembed moves a schema to
 * an embedder of another size.
 */
class CliPostgresIT {

    private static final String JDBC_URL = env("AGENT_MEMORY_TEST_JDBC_URL", "jdbc:postgresql://127.0.0.1:5432/agent_memory_test");
    private static final String USER = env("AGENT_MEMORY_TEST_USER", "agent_memory_test");
    private static final String PASSWORD = env("AGENT_MEMORY_TEST_PASSWORD", "agent_memory_test");
    private static final Embedder MODEL = Providers.embedder("onnx").create(EmbedderConfig.ofDefaults());

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
        }
    }

    private String schema;
    private final Map<String, String> env = new HashMap<>();

    private void freshSchema(TestInfo test) {
        schema = ("it_cli_" + test.getTestMethod().orElseThrow().getName().toLowerCase(Locale.ROOT));
        schema = schema.substring(0, Math.min(63, schema.length()));
        sql("DROP SCHEMA IF EXISTS " + schema + " CASCADE", "CREATE SCHEMA " + schema);
        env.put("AGENT_MEMORY_STORE", "postgres");
        env.put("AGENT_MEMORY_JDBC_URL", JDBC_URL + (JDBC_URL.contains("?") ? "&" : "?") + "currentSchema=" + schema + ",public");
        env.put("AGENT_MEMORY_DB_USER", USER);
        env.put("AGENT_MEMORY_DB_PASSWORD", PASSWORD);
        env.put("COLUMNS", "160");
    }

    private Run run(String... args) {
        return run(null, "", args);
    }

    private Run runWithInput(String stdin, String... args) {
        return run(null, stdin, args);
    }

    /** @param shared in-memory stores to use instead of PostgreSQL, or null */
    private Run run(@Nullable MemoryStores shared, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Map<String, String> e = shared == null ? env : Map.of("COLUMNS", "160");
        CommandLine cl = AgentMemoryCli.commandLine(new CliContext(e,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), shared));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private AgentMemorySystem openPostgres() {
        return AgentMemory.builder().fromEnvironment(env).migrate(false).build();
    }

    private static MemoryStores inMemory() {
        return Providers.store("inmemory").open(StoreConfig.builder().dimensions(MODEL.dimensions()).build());
    }

    private static Episode sprint(String project, String sprint, int backlog, boolean created, Instant at) {
        Map<String, Object> action = new LinkedHashMap<>();
        action.put("sprint_created", created);
        action.put("tasks_assigned", created ? backlog / 2 : 0);
        return Episode.builder(project).episodeId(UUID.randomUUID()).sprintId(sprint).timestamp(at)
                .perception(Map.of("backlog_tasks", backlog, "team_availability", created ? "available" : "on leave"))
                .reasoning(Map.of("why", created ? "enough work and people" : "team away"))
                .action(action)
                .build();
    }

    private static String jsonLine(Episode e) {
        return Json.write(e);
    }

    @Test
    void everyCommandRunsOnPostgres(TestInfo test) throws Exception {
        freshSchema(test);
        Run beforeInit = run("stats");
        assertThat(beforeInit.exit()).isEqualTo(1);
        assertThat(beforeInit.errLines()).singleElement().asString().contains("run 'agent-memory init'");

        Run init = run("init");
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(init.out()).startsWith("schema at version 7 for 384-dimensional vectors: postgres")
                .doesNotContainIgnoringCase("password");
        assertThat(run("init").exit()).isZero();

        Instant t = Instant.now().minus(Duration.ofDays(10));
        Episode a = sprint("acme", "s-1", 20, true, t);
        Episode b = sprint("acme", "s-2", 2, false, t.plus(Duration.ofDays(2)));
        Episode c = sprint("beta", "b-1", 18, true, t.plus(Duration.ofDays(3)));
        Run remember = runWithInput(jsonLine(a) + "\n" + jsonLine(b) + "\n" + jsonLine(c) + "\n", "remember");
        assertThat(remember.exit()).as(remember.err()).isZero();
        assertThat(remember.out()).contains("remembered 3 episodes").contains(a.episodeId().toString());

        Run recall = run("recall", "{\"backlog_tasks\": 19, \"team_availability\": \"available\"}");
        assertThat(recall.exit()).as(recall.err()).isZero();
        assertThat(recall.out()).containsPattern("1\\s+0\\.\\d\\d\\s+(acme|beta)\\s+(s-1|b-1)\\s+sprint_created=true");

        Run outcome = run("outcome", a.episodeId().toString(), "--quality", "0.8", "--outcome", "{\"velocity\": 17}");
        assertThat(outcome.exit()).as(outcome.err()).isZero();

        UUID pending;
        try (AgentMemorySystem memory = openPostgres()) {
            assertThat(memory.episodes().getEpisodeById(a.episodeId()).orElseThrow().outcomeQuality()).isEqualTo(0.8);
            memory.knowledge().storeStrategy(Strategy.builder("create a sprint when the backlog is full")
                    .conditions("backlog_tasks >= 10").confidence(0.7).build(), null);
            memory.workingMemory().createSession("acme", Map.of("phase", "planning"), Duration.ofHours(1));
            pending = memory.episodes().storeEpisode(sprint("beta", "b-2", 5, false, Instant.now()), null);
        }

        Run strategies = run("strategies");
        assertThat(strategies.exit()).as(strategies.err()).isZero();
        assertThat(strategies.out()).contains("create a sprint when the backlog is full").contains("backlog_tasks >= 10");

        Run sessions = run("sessions", "--project", "acme");
        assertThat(sessions.exit()).as(sessions.err()).isZero();
        assertThat(sessions.out()).contains("phase=planning");

        Run stats = run("stats");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.out()).containsPattern("schema version\\s+7")
                .containsPattern("episodes\\s+4, 1 pending embedding")
                .containsPattern("acme\\s+2").containsPattern("beta\\s+2")
                .contains(MODEL.modelName() + " (384 dimensions)")
                .doesNotContainIgnoringCase("password");

        Run backfill = run("backfill");
        assertThat(backfill.exit()).as(backfill.err()).isZero();
        assertThat(backfill.out()).startsWith("embedded 1 episodes");
        assertThat(count("SELECT count(*) FROM agent_episodes WHERE embedding IS NULL")).isZero();
        assertThat(count("SELECT count(*) FROM agent_episodes WHERE episode_id = '" + pending + "'")).isEqualTo(1);

        Run config = run("config");
        assertThat(config.out()).containsPattern("store\\s+postgres\\s+env AGENT_MEMORY_STORE")
                .containsPattern("db-password\\s+\\*\\*\\*\\*").doesNotContain("password=" + PASSWORD);

        Path file = dir.resolve("pg.jsonl");
        Run export = run("export", "-o", file.toString());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).contains("exported 4 episodes and 1 strategies");

        Run reembed = run("reembed");
        assertThat(reembed.exit()).as(reembed.err()).isZero();
        assertThat(reembed.out()).contains("dropped 4 vectors of the previous model")
                .contains("re-embedded 4 episodes and 1 strategies with " + MODEL.modelName());
        assertThat(run("stats").out()).containsPattern("vectors made by\\s+" + MODEL.modelName());

        MemoryStores memory = inMemory();
        Run imported = run(memory, "", "import", file.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(memory.episodes().countEpisodes(null)).isEqualTo(4);
    }

    @Test
    void theDemoRunsOnPostgresAndPrintsWhatItPrintsInMemory(TestInfo test) {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        Run onPostgres = run("demo", "--projects", "2", "--sprints", "6", "--no-timings");
        assertThat(onPostgres.exit()).as(onPostgres.err()).isZero();
        assertThat(onPostgres.out()).contains("memory: postgres", "without memory", "with memory",
                "12 decisions per agent (2 projects x 6), episodes stored: 12");
        try (AgentMemorySystem memory = openPostgres()) {
            assertThat(memory.episodes().countEpisodes(null)).isEqualTo(12);
        }
        Run inMemory = run(inMemory(), "", "demo", "--projects", "2", "--sprints", "6", "--no-timings");
        // The same seed gives the same numbers on both backends; only the line naming the store differs.
        assertThat(withoutStoreLine(onPostgres.out())).isEqualTo(withoutStoreLine(inMemory.out()));
    }

    private static String withoutStoreLine(String out) {
        return out.replaceAll("(?m)^memory: .*$", "");
    }

    @Test
    void exportFromOneBackendAndImportIntoTheOtherGivesEqualEpisodes(TestInfo test) throws Exception {
        freshSchema(test);
        MemoryStores source = inMemory();
        Instant t = Instant.parse("2024-02-01T08:30:00.654321Z");
        EpisodeEmbedder embedder = new EpisodeEmbedder(MODEL);
        for (int i = 0; i < 40; i++) {
            Episode e = sprint("p" + (i % 4), "s-" + i, 3 + i, i % 3 != 0, t.plus(Duration.ofHours(7L * i)));
            if (i % 5 == 0) {
                e = e.toBuilder().outcome(Map.of("velocity", i, "notes", List.of("ok", 2.5, Map.of("late", true))))
                        .outcomeQuality(i / 40.0).outcomeRecordedAt(t.plus(Duration.ofDays(i)))
                        .chronicleNoteId(UUID.randomUUID()).controlMode("llm_assisted").build();
            }
            source.episodes().storeEpisode(e, i == 39 ? null : embedder.embedEpisode(e));
        }
        Strategy s = Strategy.builder("keep sprints short when the team is away")
                .conditions("team_availability is on_leave").confidence(0.65).build();
        UUID sid = source.knowledge().orElseThrow().storeStrategy(s, MODEL.embed(s.description()));
        source.knowledge().orElseThrow().recordApplication(sid, UUID.randomUUID(), false);

        Path fromMemory = dir.resolve("inmemory.jsonl");
        assertThat(run(source, "", "export", "-o", fromMemory.toString()).exit()).isZero();
        assertThat(run("init").exit()).isZero();
        Run imported = run("import", fromMemory.toString());
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported 40 episodes and 1 strategies");

        try (AgentMemorySystem pg = openPostgres()) {
            StoreMaintenance pgm = pg.maintenance().orElseThrow();
            assertSameContent(pgm, (StoreMaintenance) source);
            assertThat(pg.episodes().countEpisodesPendingEmbedding()).isEqualTo(1);

            Path fromPostgres = dir.resolve("postgres.jsonl");
            assertThat(run("export", "-o", fromPostgres.toString()).exit()).isZero();
            MemoryStores back = inMemory();
            Run again = run(back, "", "import", fromPostgres.toString());
            assertThat(again.exit()).as(again.err()).isZero();
            assertSameContent((StoreMaintenance) back, pgm);
            assertSameContent((StoreMaintenance) back, (StoreMaintenance) source);
        }
    }

    private static void assertSameContent(StoreMaintenance actual, StoreMaintenance expected) {
        List<StoredEpisode> a = sortedEpisodes(actual);
        List<StoredEpisode> e = sortedEpisodes(expected);
        assertThat(a).extracting(StoredEpisode::episode).containsExactlyElementsOf(e.stream().map(StoredEpisode::episode).toList());
        for (int i = 0; i < e.size(); i++) {
            if (e.get(i).embedding() == null) {
                assertThat(a.get(i).embedding()).isNull();
            } else {
                assertThat(a.get(i).embedding()).containsExactly(e.get(i).embedding(), offset(1e-6f));
            }
        }
        List<StoredStrategy> as = actual.readStrategies(null, 1000);
        List<StoredStrategy> es = expected.readStrategies(null, 1000);
        assertThat(as).extracting(StoredStrategy::strategy).containsExactlyInAnyOrderElementsOf(
                es.stream().map(StoredStrategy::strategy).toList());
        assertThat(as).allSatisfy(x -> assertThat(x.embedding()).isNotNull());
    }

    // The backends page in their own id order (PostgreSQL compares uuids bytewise, Java signed).
    private static List<StoredEpisode> sortedEpisodes(StoreMaintenance m) {
        List<StoredEpisode> all = new ArrayList<>(m.readEpisodes(null, 10_000));
        all.sort((x, y) -> x.episode().episodeId().toString().compareTo(y.episode().episodeId().toString()));
        return all;
    }

    @Test
    void reembedAfterADimensionChangeLeavesEveryEpisodeEmbeddedAtTheNewSize(TestInfo test) {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        StringBuilder lines = new StringBuilder();
        Instant t = Instant.now().minus(Duration.ofDays(30));
        for (int i = 0; i < 25; i++) {
            lines.append(jsonLine(sprint("acme", "s-" + i, i + 1, i % 2 == 0, t.plus(Duration.ofDays(i))))).append('\n');
        }
        assertThat(runWithInput(lines.toString(), "remember").exit()).isZero();
        try (AgentMemorySystem memory = openPostgres()) {
            Strategy s = Strategy.builder("plan less when the team is away").build();
            memory.knowledge().storeStrategy(s, memory.embedder().embed(s.description()));
        }

        Run r = run("reembed", "--embedder", "projected", "--embedding-model", "192", "--batch", "10");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("changed the vector size from 384 to 192; every vector was dropped")
                .contains("re-embedded 25 episodes and 1 strategies with " + MODEL.modelName() + " projected to 192 (192 dimensions)");

        assertThat(count("SELECT count(*) FROM agent_episodes WHERE embedding IS NULL")).isZero();
        assertThat(count("SELECT count(*) FROM agent_episodes WHERE vector_dims(embedding) = 192")).isEqualTo(25);
        assertThat(count("SELECT count(*) FROM agent_knowledge WHERE vector_dims(embedding) = 192")).isEqualTo(1);
        assertThat(text("SELECT value FROM agent_memory_meta WHERE key = 'dimensions'")).isEqualTo("192");
        assertThat(text("SELECT value FROM agent_memory_meta WHERE key = 'embedding_model'"))
                .isEqualTo(MODEL.modelName() + " projected to 192");
        assertThat(text("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'agent_episodes'::regclass"
                + " AND attname = 'embedding'")).isEqualTo("vector(192)");
        assertThat(count("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND tablename = 'agent_episodes' AND indexdef LIKE '%hnsw%'"))
                .isEqualTo(1);

        EpisodeEmbedder projected = new EpisodeEmbedder(new ProjectedEmbedder(MODEL, 192));
        try (AgentMemorySystem memory = AgentMemory.builder().fromEnvironment(env).embedder("projected")
                .embedderConfig(EmbedderConfig.builder().model("192").build()).migrate(false).build()) {
            for (StoredEpisode e : memory.maintenance().orElseThrow().readEpisodes(null, 100)) {
                assertThat(e.embedding()).containsExactly(projected.embedEpisode(e.episode()), offset(1e-5f));
            }
            assertThat(memory.recallSimilarSituations(Map.of("backlog_tasks", 5, "team_availability", "available"),
                    "acme", 3)).isNotEmpty();
        }
        Run oldModel = run("stats");
        assertThat(oldModel.exit()).isEqualTo(1);
        assertThat(oldModel.errLines()).singleElement().asString()
                .contains("holds 192-dimensional vectors").contains("makes 384").contains("agent-memory reembed");
        Run newModel = run("stats", "--embedder", "projected", "--embedding-model", "192");
        assertThat(newModel.out()).containsPattern("vectors made by\\s+" + MODEL.modelName() + " projected to 192")
                .containsPattern("episodes\\s+25, 0 pending embedding");
    }

    @Test
    void aDimensionChangeInterruptedHalfWayContinuesOnTheNextRun(TestInfo test) {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            lines.append(jsonLine(sprint("acme", "s-" + i, i + 1, true, Instant.now().minus(Duration.ofHours(i))))).append('\n');
        }
        assertThat(runWithInput(lines.toString(), "remember").exit()).isZero();
        Embedder smaller = new ProjectedEmbedder(MODEL, 128);

        try (EmbeddingServer failing = new EmbeddingServer(new GoingDownEmbedder(smaller, 20, new AtomicInteger()), "127.0.0.1", 0).start()) {
            Run stopped = run("reembed", "--embedder", "service", "--embedding-url", failing.url(), "--batch", "10");
            assertThat(stopped.exit()).isEqualTo(1);
            // Above it, the progress of the two batches done.
            assertThat(stopped.errLines()).last().asString()
                    .startsWith("agent-memory reembed: stopped after 20 episodes, run again to continue");
        }
        assertThat(text("SELECT value FROM agent_memory_meta WHERE key = 'dimensions'")).isEqualTo("128");
        assertThat(count("SELECT count(*) FROM agent_episodes WHERE embedding IS NULL")).isEqualTo(10);

        AtomicInteger texts = new AtomicInteger();
        try (EmbeddingServer healthy = new EmbeddingServer(new GoingDownEmbedder(smaller, Integer.MAX_VALUE, texts), "127.0.0.1", 0).start()) {
            Run resumed = run("reembed", "--embedder", "service", "--embedding-url", healthy.url(), "--batch", "10");
            assertThat(resumed.exit()).as(resumed.err()).isZero();
            assertThat(resumed.out()).contains("already").contains("re-embedded 10 episodes");
        }
        assertThat(texts.get()).isEqualTo(10);
        assertThat(count("SELECT count(*) FROM agent_episodes WHERE vector_dims(embedding) = 128")).isEqualTo(30);
    }

    @Test
    void badInputWritesNothingAndSaysWhatInOneLine(TestInfo test) throws Exception {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        Episode ok = sprint("acme", "s-1", 10, true, Instant.now());

        Run badJson = runWithInput(jsonLine(ok) + "\n{\"projectId\": \"acme\", \"perception\": \n", "remember");
        assertThat(badJson.exit()).isEqualTo(2);
        assertThat(badJson.errLines()).singleElement().asString().startsWith("agent-memory remember: stdin line 2: malformed JSON");

        Run unknownFlag = run("import", "--dry-run");
        assertThat(unknownFlag.exit()).isEqualTo(2);
        assertThat(unknownFlag.errLines()).singleElement().asString().contains("Unknown option: '--dry-run'");

        Run missing = run("import", dir.resolve("nowhere.jsonl").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.errLines()).singleElement().asString().contains("nowhere.jsonl' does not exist");

        Path small = dir.resolve("small.jsonl");
        Files.writeString(small, ExportFormat.episodeLine(ok, new float[] {1, 2, 3}, "tiny") + "\n");
        Run wrongSize = run("import", small.toString());
        assertThat(wrongSize.exit()).isEqualTo(2);
        assertThat(wrongSize.errLines()).singleElement().asString().contains("3 dimensions").contains("--reembed");

        Path mixed = dir.resolve("mixed.jsonl");
        Files.writeString(mixed, ExportFormat.episodeLine(ok, null, "m") + "\n"
                + ExportFormat.strategyLine(Strategy.builder("x").build(), null, "m") + "\n"
                + "{\"type\":\"episode\",\"episode\":{\"projectId\":\"acme\"}}\n");
        Run invalid = run("import", mixed.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.errLines()).singleElement().asString().contains("line 3, episode: perception: is required");

        assertThat(count("SELECT count(*) FROM agent_episodes")).isZero();
        assertThat(count("SELECT count(*) FROM agent_knowledge")).isZero();
    }

    @Test
    void initWithPartitionsMovesTheEpisodesOfAnExistingSchemaIntoPartitions(TestInfo test) {
        freshSchema(test);
        assertThat(run("init").exit()).isZero();
        Instant t = Instant.now().minus(Duration.ofDays(3));
        Episode a = sprint("acme", "s-1", 20, true, t);
        Episode b = sprint("beta", "b-1", 18, true, t.plus(Duration.ofDays(1)));
        Run remember = runWithInput(jsonLine(a) + "\n" + jsonLine(b) + "\n", "remember");
        assertThat(remember.exit()).as(remember.err()).isZero();
        assertThat(count("SELECT count(*) FROM pg_inherits WHERE inhparent = 'agent_episodes'::regclass")).isZero();

        Run init = run("init", "--partitions", "4");
        assertThat(init.exit()).as(init.err()).isZero();
        assertThat(count("SELECT count(*) FROM pg_inherits WHERE inhparent = 'agent_episodes'::regclass")).isEqualTo(4);
        assertThat(count("SELECT count(*) FROM agent_episodes")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM agent_episodes WHERE episode_id = '" + a.episodeId() + "'")).isEqualTo(1);
        // Opened again with the same count, nothing changes; a store told another count refuses.
        assertThat(run("init", "--partitions", "4").exit()).isZero();
        Run other = run("init", "--partitions", "8");
        assertThat(other.exit()).isNotZero();
        assertThat(other.err()).contains("already partitioned by project into 4 partitions");
        Run recall = run("recall", "--project", "acme", "{\"backlog_tasks\": 19, \"team_availability\": \"available\"}");
        assertThat(recall.exit()).as(recall.err()).isZero();
        assertThat(recall.out()).containsPattern("1\\s+0\\.\\d\\d\\s+acme\\s+s-1\\s+sprint_created=true");
    }

    private long count(String query) {
        return Long.parseLong(text(query));
    }

    private String text(String query) {
        try (Connection c = DriverManager.getConnection(env.get("AGENT_MEMORY_JDBC_URL"), USER, PASSWORD);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            assertThat(rs.next()).isTrue();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new AssertionError(query + ": " + e.getMessage(), e);
        }
    }

    private static void sql(String... statements) {
        try (Connection c = DriverManager.getConnection(JDBC_URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("SET client_min_messages = warning");
            for (String q : statements) {
                s.execute(q);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test database setup failed: " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
