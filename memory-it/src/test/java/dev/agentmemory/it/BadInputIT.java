package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.DimensionMismatchException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.api.WorkingMemory.UpdateMode;
import dev.agentmemory.core.AgentMemory;
import dev.agentmemory.core.AgentMemorySystem;
import dev.agentmemory.embedding.ollama.EmbeddingClient;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every kind of bad input the library knows, against both backends (in memory and PostgreSQL)
 * through the memory system and its stores: each is a {@link MemoryException} subclass whose
 * message names the field and the problem, and the stored data is unchanged afterwards (compared
 * through the API on both backends, and row by row with {@code md5} on PostgreSQL).
 */
class BadInputIT {

    private static final int DIMENSIONS = OnnxEmbedder.DIMENSIONS;
    private static final OnnxEmbedder MODEL = new OnnxEmbedder();
    private static final String SQL_PROJECT = "x'); DROP TABLE agent_episodes; --";

    private static HikariDataSource dataSource;
    private static final Map<String, Fixture> BACKENDS = new HashMap<>();

    /** One backend with a little data in every table. */
    private record Fixture(String backend, AgentMemorySystem memory, UUID episode, UUID strategy, UUID session,
                           HikariDataSource dataSource) {
    }

    /** One bad input: what is called, what must come out. */
    private record Case(String name, Class<? extends MemoryException> type, String field, String problem,
                        Consumer<Fixture> call) {
    }

    @BeforeAll
    static void openBothBackends() {
        dataSource = TestDatabase.freshSchema(BadInputIT.class);
        BACKENDS.put("inmemory", fixture("inmemory", AgentMemory.builder().store("inmemory").embedder(MODEL).build(), null));
        BACKENDS.put("postgres", fixture("postgres", AgentMemory.builder().store("postgres").dataSource(dataSource)
                .embedder(MODEL).migrate(true).build(), dataSource));
    }

    @AfterAll
    static void close() {
        BACKENDS.values().forEach(f -> f.memory().close());
        dataSource.close();
    }

    private static Fixture fixture(String backend, AgentMemorySystem memory, HikariDataSource ds) {
        UUID episode = memory.rememberDecision(episode("acme").sprintId("sprint-1").build());
        memory.rememberDecision(episode(SQL_PROJECT).build());
        memory.episodes().storeEpisode(episode("acme").timestamp(Instant.parse("2024-01-01T00:00:00Z")).build(), null);
        UUID strategy = memory.knowledge().storeStrategy(Strategy.builder("plan small sprints")
                .conditions("backlog_tasks >= 5").build(), null);
        UUID session = memory.workingMemory().createSession("acme", Map.of("step", 1), Duration.ofHours(1)).sessionId();
        return new Fixture(backend, memory, episode, strategy, session, ds);
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputIsRejectedNamingFieldAndProblemAndWritesNothingOnEitherBackend() {
        List<Case> cases = cases();
        System.out.printf("bad input: %d cases x %d backends = %d checks%n", cases.size(), 2, cases.size() * 2);
        return Stream.of("inmemory", "postgres").flatMap(backend -> cases.stream().map(c ->
                DynamicTest.dynamicTest(backend + ": " + c.name(), () -> check(BACKENDS.get(backend), c))));
    }

    private static void check(Fixture f, Case c) throws SQLException {
        Object before = snapshot(f);
        assertThatThrownBy(() -> c.call().accept(f))
                .isInstanceOf(c.type())
                .isInstanceOf(MemoryException.class)
                .hasMessageContaining(c.field())
                .hasMessageContaining(c.problem());
        assertThat(snapshot(f)).as("stored data after " + c.name()).isEqualTo(before);
    }

    // ---- the cases ----------------------------------------------------------------------------

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        // Vectors: wrong dimension, NaN and infinite components, the zero vector.
        for (int size : new int[] {DIMENSIONS - 1, DIMENSIONS + 1, 1}) {
            float[] wrong = unit(size);
            cases.add(new Case("storeEpisode with a vector of " + size, DimensionMismatchException.class, "embedding",
                    size + " dimensions", f -> f.memory().episodes().storeEpisode(episode("acme").build(), wrong)));
            cases.add(new Case("findSimilarEpisodes with a query of " + size, DimensionMismatchException.class, "query",
                    size + " dimensions", f -> f.memory().episodes().findSimilarEpisodes(wrong, "acme", 10, 0.5)));
        }
        float[] wrong = unit(DIMENSIONS + 7);
        cases.add(new Case("storeEpisodes with one vector of the wrong size", DimensionMismatchException.class,
                "embeddings[1]", "dimensions", f -> f.memory().episodes().storeEpisodes(
                        List.of(episode("acme").build(), episode("acme").build()), Arrays.asList(unit(DIMENSIONS), wrong))));
        cases.add(new Case("updateEpisodeEmbedding with the wrong size", DimensionMismatchException.class, "embedding",
                "dimensions", f -> f.memory().episodes().updateEpisodeEmbedding(f.episode(), wrong)));
        cases.add(new Case("storeStrategy with the wrong size", DimensionMismatchException.class, "embedding",
                "dimensions", f -> f.memory().knowledge().storeStrategy(Strategy.builder("s").build(), wrong)));
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            float[] v = unit(DIMENSIONS);
            v[7] = bad;
            cases.add(new Case("storeEpisode with a " + bad + " component", InvalidInputException.class, "embedding",
                    "component 7 is " + bad, f -> f.memory().episodes().storeEpisode(episode("acme").build(), v)));
            cases.add(new Case("updateEpisodeEmbedding with a " + bad + " component", InvalidInputException.class,
                    "embedding", "finite", f -> f.memory().episodes().updateEpisodeEmbedding(f.episode(), v)));
            cases.add(new Case("findSimilarEpisodes with a " + bad + " component", InvalidInputException.class, "query",
                    "finite", f -> f.memory().episodes().findSimilarEpisodesMatching(v, EpisodeFilter.ALL, 10, 0.5)));
            cases.add(new Case("getApplicableStrategies with a " + bad + " component", InvalidInputException.class,
                    "contextEmbedding", "finite",
                    f -> f.memory().knowledge().getApplicableStrategies(Map.of("backlog_tasks", 6), v, 0.0, 10)));
        }
        float[] zero = new float[DIMENSIONS];
        cases.add(new Case("storeEpisode with the zero vector", InvalidInputException.class, "embedding", "zero vector",
                f -> f.memory().episodes().storeEpisode(episode("acme").build(), zero)));
        cases.add(new Case("findSimilarEpisodes with the zero vector", InvalidInputException.class, "query", "zero vector",
                f -> f.memory().episodes().findSimilarEpisodes(zero, "acme", 10, -1)));
        cases.add(new Case("updateEpisodeEmbedding with the zero vector", InvalidInputException.class, "embedding",
                "zero vector", f -> f.memory().episodes().updateEpisodeEmbedding(f.episode(), zero)));
        cases.add(new Case("storeStrategy with the zero vector", InvalidInputException.class, "embedding", "zero vector",
                f -> f.memory().knowledge().storeStrategy(Strategy.builder("s").build(), zero)));

        // Text to embed: empty, blank, missing; to the local model and to the embedding service's
        // client (which checks before it sends anything: nothing listens on its port).
        for (String text : new String[] {"", " ", "\n\t  "}) {
            String shown = text.replace("\n", "\\n").replace("\t", "\\t");
            cases.add(new Case("embedding '" + shown + "' with the local model", InvalidInputException.class, "text",
                    "blank", f -> f.memory().embedder().embed(text)));
            cases.add(new Case("embedding '" + shown + "' through the service client", InvalidInputException.class,
                    "text", "blank", f -> {
                        try (EmbeddingClient client = new EmbeddingClient("http://127.0.0.1:9")) {
                            client.generateEmbedding(text);
                        }
                    }));
        }
        cases.add(new Case("embedAll with a blank text among others", InvalidInputException.class, "texts[1]", "blank",
                f -> f.memory().embedder().embedAll(List.of("sprint planned", "  ", "tasks assigned"))));
        cases.add(new Case("embedding no text", InvalidInputException.class, "text", "required",
                f -> f.memory().embedder().embed(null)));

        // NUL characters, rejected in every string the same way on both backends.
        String nul = "before\0after";
        cases.add(new Case("NUL in projectId", InvalidInputException.class, "projectId", "NUL",
                f -> f.memory().rememberDecision(episode(nul).build())));
        cases.add(new Case("NUL in a perception value", InvalidInputException.class, "perception.note", "NUL",
                f -> f.memory().rememberDecision(episode("acme").perception(Map.of("note", nul)).build())));
        cases.add(new Case("NUL in a perception key", InvalidInputException.class, "perception", "NUL",
                f -> f.memory().rememberDecision(episode("acme").perception(Map.of(nul, 1)).build())));
        cases.add(new Case("NUL in a string inside a list", InvalidInputException.class, "action.items[1]", "NUL",
                f -> f.memory().rememberDecision(episode("acme").action(Map.of("items", List.of("a", nul))).build())));
        cases.add(new Case("NUL in sprintId", InvalidInputException.class, "sprintId", "NUL",
                f -> f.memory().rememberDecision(episode("acme").sprintId(nul).build())));
        cases.add(new Case("NUL in agentVersion", InvalidInputException.class, "agentVersion", "NUL",
                f -> f.memory().rememberDecision(episode("acme").agentVersion(nul).build())));
        cases.add(new Case("NUL in a recorded outcome", InvalidInputException.class, "outcome.note", "NUL",
                f -> f.memory().recordOutcome(f.episode(), Map.of("note", nul), 0.5)));
        cases.add(new Case("NUL in an outcome given to the store", InvalidInputException.class, "outcome.note", "NUL",
                f -> f.memory().episodes().updateEpisodeOutcome(f.episode(), Map.of("note", nul), 0.5)));
        cases.add(new Case("NUL in a query's project", InvalidInputException.class, "projectId", "NUL",
                f -> f.memory().episodes().getEpisodesByProject(nul, 10, null)));
        cases.add(new Case("NUL in a recall context", InvalidInputException.class, "context.team", "NUL",
                f -> f.memory().recallSimilarSituations(Map.of("team", nul), "acme", 5)));
        cases.add(new Case("NUL in a strategy's description", InvalidInputException.class, "description", "NUL",
                f -> f.memory().knowledge().storeStrategy(Strategy.builder(nul).build(), null)));
        cases.add(new Case("NUL in a session's context", InvalidInputException.class, "context.step", "NUL",
                f -> f.memory().workingMemory().createSession("acme", Map.of("step", nul), Duration.ofMinutes(5))));
        cases.add(new Case("NUL in a session update", InvalidInputException.class, "context.step", "NUL",
                f -> f.memory().workingMemory().updateSession(f.session(), 1, Map.of("step", nul), UpdateMode.MERGE)));
        cases.add(new Case("NUL in a session's project", InvalidInputException.class, "projectId", "NUL",
                f -> f.memory().workingMemory().createSession(nul, Map.of("step", 1), Duration.ofMinutes(5))));

        // Maps with values that are not JSON-like, or nested deeper than JsonValues.MAX_DEPTH.
        Map<String, Object> deepMap = nestedMaps(JsonValues.MAX_DEPTH + 1);
        Map<String, Object> deepList = Map.of("l", nestedLists(JsonValues.MAX_DEPTH));
        Map<Object, Object> intKey = new HashMap<>();
        intKey.put(7, "seven");
        for (Object odd : new Object[] {new Object(), Instant.EPOCH, UUID.randomUUID(), Optional.empty(), new int[] {1},
                'c', Double.NaN, Double.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            String what = odd.getClass().getSimpleName() + (odd instanceof Number ? " " + odd : "");
            String problem = odd instanceof Number ? "finite" : "not a JSON-like value";
            cases.add(new Case("a " + what + " in a perception", InvalidInputException.class, "perception.odd", problem,
                    f -> f.memory().rememberDecision(episode("acme").perception(Map.of("odd", odd)).build())));
            cases.add(new Case("a " + what + " in an outcome", InvalidInputException.class, "outcome.odd", problem,
                    f -> f.memory().episodes().updateEpisodeOutcome(f.episode(), Map.of("odd", odd), 0.5)));
        }
        cases.add(new Case("a key that is not a string", InvalidInputException.class, "reasoning", "not a string",
                f -> f.memory().rememberDecision(episode("acme").reasoning(cast(intKey)).build())));
        cases.add(new Case("maps nested deeper than the limit", InvalidInputException.class, "perception",
                "nested deeper than " + JsonValues.MAX_DEPTH, f -> f.memory().rememberDecision(episode("acme")
                        .perception(deepMap).build())));
        cases.add(new Case("lists nested deeper than the limit", InvalidInputException.class, "action.l",
                "nested deeper than " + JsonValues.MAX_DEPTH, f -> f.memory().rememberDecision(episode("acme")
                        .action(deepList).build())));
        cases.add(new Case("a session context nested deeper than the limit", InvalidInputException.class, "context",
                "nested deeper", f -> f.memory().workingMemory().createSession("acme", deepMap, Duration.ofMinutes(5))));
        cases.add(new Case("a strategy content nested deeper than the limit", InvalidInputException.class, "content",
                "nested deeper", f -> f.memory().knowledge().storeStrategy(Strategy.builder("s").content(deepMap).build(), null)));
        cases.add(new Case("an outcome nested deeper than the limit", InvalidInputException.class, "outcome",
                "nested deeper", f -> f.memory().recordOutcome(f.episode(), deepMap, 0.5)));

        // outcomeQuality outside [0,1].
        for (double q : new double[] {-0.01, 1.01, 7, Double.NaN, Double.POSITIVE_INFINITY}) {
            cases.add(new Case("outcomeQuality " + q + " on an episode", InvalidInputException.class, "outcomeQuality",
                    "outside [0,1]", f -> f.memory().rememberDecision(episode("acme").outcome(Map.of("done", true))
                            .outcomeQuality(q).build())));
            cases.add(new Case("outcomeQuality " + q + " recorded", InvalidInputException.class, "outcomeQuality",
                    "outside [0,1]", f -> f.memory().recordOutcome(f.episode(), Map.of("done", true), q)));
            cases.add(new Case("outcomeQuality " + q + " to the store", InvalidInputException.class, "outcomeQuality",
                    "outside [0,1]", f -> f.memory().episodes().updateEpisodeOutcome(f.episode(), Map.of("done", true), q)));
        }

        // Unknown ids on update.
        UUID unknown = UUID.fromString("00000000-0000-4000-8000-000000000001");
        cases.add(new Case("recordOutcome of an unknown episode", NotFoundException.class, "episode", unknown.toString(),
                f -> f.memory().recordOutcome(unknown, Map.of("done", true), 0.5)));
        cases.add(new Case("updateEpisodeOutcome of an unknown episode", NotFoundException.class, "episode",
                "does not exist", f -> f.memory().episodes().updateEpisodeOutcome(unknown, Map.of("done", true), 0.5)));
        cases.add(new Case("updateEpisodeEmbedding of an unknown episode", NotFoundException.class, "episode",
                "does not exist", f -> f.memory().episodes().updateEpisodeEmbedding(unknown, unit(DIMENSIONS))));
        cases.add(new Case("recordApplication of an unknown strategy", NotFoundException.class, "strategy",
                "does not exist", f -> f.memory().knowledge().recordApplication(unknown, f.episode(), true)));
        cases.add(new Case("updateSession of an unknown session", NotFoundException.class, "session", "does not exist",
                f -> f.memory().workingMemory().updateSession(unknown, 1, Map.of("step", 2), UpdateMode.MERGE)));
        cases.add(new Case("extendSession of an unknown session", NotFoundException.class, "session", "does not exist",
                f -> f.memory().workingMemory().extendSession(unknown, Duration.ofMinutes(1))));
        cases.add(new Case("recordOutcome without an id", InvalidInputException.class, "episodeId", "required",
                f -> f.memory().recordOutcome(null, Map.of("done", true), 0.5)));
        cases.add(new Case("rememberDecision without an episode", InvalidInputException.class, "episode", "required",
                f -> f.memory().rememberDecision(null)));

        // Limits: zero, negative, huge.
        for (int limit : new int[] {0, -1, AgentMemoryStore.MAX_LIMIT + 1, Integer.MAX_VALUE, Integer.MIN_VALUE}) {
            cases.add(new Case("getEpisodesByProject limit " + limit, InvalidInputException.class, "limit",
                    Integer.toString(limit), f -> f.memory().episodes().getEpisodesByProject("acme", limit, null)));
            cases.add(new Case("findSimilarEpisodes limit " + limit, InvalidInputException.class, "limit",
                    Integer.toString(limit), f -> f.memory().episodes().findSimilarEpisodes(unit(DIMENSIONS), "acme", limit, 0)));
            cases.add(new Case("recallSimilarSituations limit " + limit, InvalidInputException.class, "limit",
                    Integer.toString(limit), f -> f.memory().recallSimilarSituations(Map.of("backlog_tasks", 4), "acme", limit)));
            cases.add(new Case("getEpisodesPendingEmbedding limit " + limit, InvalidInputException.class, "limit",
                    Integer.toString(limit), f -> f.memory().episodes().getEpisodesPendingEmbedding(limit)));
            cases.add(new Case("getEpisodesWithoutOutcomes limit " + limit, InvalidInputException.class, "limit",
                    Integer.toString(limit), f -> f.memory().episodes().getEpisodesWithoutOutcomes(limit)));
            cases.add(new Case("listStrategies limit " + limit, InvalidInputException.class, "limit",
                    Integer.toString(limit), f -> f.memory().knowledge().listStrategies(new StrategyQuery(true, null, 0, limit))));
        }
        return cases;
    }

    // ---- what is not an error -----------------------------------------------------------------

    @Test
    void textFarBeyondTheModelsLengthIsEmbeddedFromItsBeginningWithALoggedWarning() {
        String sentence = "the sprint was planned with twelve tasks for a team of four developers. ";
        String longText = sentence.repeat(800);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        float[] vector;
        try {
            System.setOut(both);
            System.setErr(both);
            vector = MODEL.embed(longText);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        String log = captured.toString(StandardCharsets.UTF_8);
        out.print(log);

        assertThat(vector).hasSize(DIMENSIONS);
        assertThat(MODEL.embed(sentence.repeat(80))).containsExactly(vector);
        assertThat(log).contains("WARN").contains("text of " + longText.length() + " characters")
                .doesNotContain("twelve tasks");
    }

    @Test
    void sqlLookingProjectIdsAreStoredAndFoundLiterallyOnBothBackends() throws SQLException {
        for (Fixture f : BACKENDS.values()) {
            assertThat(f.memory().episodes().getEpisodesByProject(SQL_PROJECT, 10, null))
                    .as(f.backend()).singleElement().extracting(Episode::projectId).isEqualTo(SQL_PROJECT);
            for (String project : List.of("%", "_", "acme' OR '1'='1", "acme\\", "$1", "\"acme\"", "acme;--")) {
                UUID id = f.memory().rememberDecision(episode(project).build());
                assertThat(f.memory().episodes().getEpisodesByProject(project, 10, null)).as(f.backend() + " " + project)
                        .extracting(Episode::episodeId).containsExactly(id);
                assertThat(f.memory().episodes().countEpisodes(project)).isEqualTo(1);
                assertThat(f.memory().episodes().deleteEpisode(id)).isTrue();
            }
        }
        assertThat(count("SELECT count(*) FROM agent_episodes WHERE project_id = 'acme'")).isEqualTo(2);
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Everything stored, read through the API, and on PostgreSQL a digest of every row. */
    private static Object snapshot(Fixture f) throws SQLException {
        AgentMemoryStore e = f.memory().episodes();
        List<Object> all = new ArrayList<>();
        all.add(e.countEpisodes(null));
        all.add(e.countEpisodesPendingEmbedding());
        for (String project : List.of("acme", SQL_PROJECT)) {
            all.add(e.getEpisodesByProject(project, AgentMemoryStore.MAX_LIMIT, null));
        }
        all.add(e.getEpisodesPendingEmbedding(AgentMemoryStore.MAX_LIMIT));
        all.add(f.memory().knowledge().listStrategies(new StrategyQuery(false, null, 0, 1000)));
        all.add(f.memory().workingMemory().getSession(f.session()));
        all.add(f.memory().workingMemory().listActiveSessions("acme"));
        if (f.dataSource() != null) {
            try (Connection c = f.dataSource().getConnection(); Statement s = c.createStatement()) {
                for (String table : List.of("agent_episodes", "agent_knowledge", "agent_working_memory")) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                            + " FROM " + table + " t")) {
                        rs.next();
                        all.add(table + " " + rs.getLong(1) + " " + rs.getString(2));
                    }
                }
            }
        }
        return all;
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Episode.Builder episode(String project) {
        return Episode.builder(project)
                .perception(Map.of("backlog_tasks", 12, "team_availability", "available"))
                .reasoning(Map.of("summary", "enough backlog"))
                .action(Map.of("sprint_created", true, "tasks_assigned", 5));
    }

    private static float[] unit(int size) {
        float[] v = new float[size];
        v[0] = 1;
        return v;
    }

    private static Map<String, Object> nestedMaps(int depth) {
        Map<String, Object> m = Map.of("leaf", 1);
        for (int i = 1; i < depth; i++) {
            m = Map.of("d", m);
        }
        return m;
    }

    private static List<Object> nestedLists(int depth) {
        List<Object> l = List.of(1);
        for (int i = 1; i < depth; i++) {
            l = List.of(l);
        }
        return l;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
