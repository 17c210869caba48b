package dev.agentmemory.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.JsonValues;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.MemoryException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemorySession;
import dev.agentmemory.api.spi.MemoryStores;
import dev.agentmemory.api.spi.StoreConfig;
import dev.agentmemory.embedding.onnx.OnnxEmbedder;
import dev.agentmemory.inmemory.InMemoryStoreProvider;
import dev.agentmemory.postgres.PostgresStoreProvider;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random JSON-like trees (and things that only look like them), random strings and random times
 * thrown at the models, at both stores and at the local model: what comes out is a result or a
 * {@link MemoryException}, never a NullPointerException, a driver error or another runtime
 * exception; what one backend accepts the other accepts too, and both give it back equal.
 */
class FuzzIT {

    private static final int DIMENSIONS = 8;

    private static final java.util.concurrent.atomic.AtomicInteger TRIED = new java.util.concurrent.atomic.AtomicInteger();
    private static final java.util.concurrent.atomic.AtomicInteger STORED = new java.util.concurrent.atomic.AtomicInteger();

    private static HikariDataSource dataSource;
    private static MemoryStores postgres;
    private static MemoryStores inMemory;

    @BeforeContainer
    static void open() {
        dataSource = TestDatabase.freshSchema(FuzzIT.class);
        StoreConfig config = StoreConfig.builder().dimensions(DIMENSIONS).dataSource(dataSource).migrate(true).build();
        postgres = new PostgresStoreProvider().open(config);
        inMemory = new InMemoryStoreProvider().open(StoreConfig.builder().dimensions(DIMENSIONS).build());
    }

    @AfterContainer
    static void close() {
        System.out.printf("fuzz: %d random episodes, %d valid and stored on both backends, the rest rejected with a"
                + " MemoryException%n", TRIED.get(), STORED.get());
        // A generator that only made invalid episodes would prove nothing about the stores.
        assertThat(STORED.get()).as("episodes that reached both stores").isGreaterThan(TRIED.get() / 5);
        postgres.close();
        inMemory.close();
        dataSource.close();
    }

    // ---- properties ---------------------------------------------------------------------------

    @Property(tries = 400)
    void episodesOfRandomContentAreRejectedWithAMemoryExceptionOrStoredAndReadBackEqualOnBothBackends(
            @ForAll("maps") Object perception, @ForAll("maps") Object outcome, @ForAll("text") String projectId,
            @ForAll("text") String sprintId, @ForAll("times") Instant timestamp, @ForAll("qualities") double quality) {
        TRIED.incrementAndGet();
        Optional<Episode> built = outcomeOf(() -> Episode.builder(projectId)
                .timestamp(timestamp)
                .perception(cast(perception))
                .reasoning(Map.of("summary", sprintId))
                .action(Map.of("sprint_created", true))
                .outcome(cast(outcome))
                .outcomeQuality(quality)
                .sprintId(sprintId)
                .build());
        if (built.isEmpty()) {
            return;
        }
        Episode episode = built.get();
        float[] vector = vector(perception.hashCode());
        Optional<UUID> inPostgres = outcomeOf(() -> postgres.episodes().storeEpisode(episode, vector));
        Optional<UUID> inMemoryId = outcomeOf(() -> inMemory.episodes().storeEpisode(episode, vector));

        assertThat(inPostgres.isPresent()).as("both backends accept or both reject %s", episode).isEqualTo(inMemoryId.isPresent());
        if (inPostgres.isPresent()) {
            STORED.incrementAndGet();
            Episode fromPostgres = postgres.episodes().getEpisodeById(inPostgres.get()).orElseThrow();
            Episode fromMemory = inMemory.episodes().getEpisodeById(inMemoryId.get()).orElseThrow();
            same(episode.withEpisodeId(inPostgres.get()), fromPostgres);
            same(episode.withEpisodeId(inMemoryId.get()), fromMemory);
            assertThat(postgres.episodes().getEpisodesByProject(projectId, 1, null)).isNotEmpty();
        }
    }

    @Property(tries = 200)
    void outcomesSessionsAndStrategiesOfRandomContentGiveAResultOrAMemoryException(
            @ForAll("maps") Object content, @ForAll("text") String text, @ForAll("qualities") double quality) {
        for (MemoryStores stores : List.of(postgres, inMemory)) {
            AgentMemoryStore episodes = stores.episodes();
            UUID id = episodes.storeEpisode(Episode.builder("fuzz").perception(Map.of("n", 1)).reasoning(Map.of())
                    .action(Map.of()).build(), null);
            outcomeOf(() -> {
                episodes.updateEpisodeOutcome(id, cast(content), quality);
                return true;
            }).ifPresent(ok -> same(JsonValues.copyMap("outcome", cast(content)),
                    episodes.getEpisodeById(id).orElseThrow().outcome()));
            WorkingMemory memory = stores.workingMemory().orElseThrow();
            outcomeOf(() -> memory.createSession(text, cast(content), Duration.ofMinutes(1)))
                    .ifPresent(s -> assertThat(memory.getSession(s.sessionId()).map(WorkingMemorySession::context))
                            .contains(s.context()));
            KnowledgeStore knowledge = stores.knowledge().orElseThrow();
            outcomeOf(() -> knowledge.storeStrategy(Strategy.builder(text).content(cast(content)).build(), null))
                    .ifPresent(sid -> assertThat(knowledge.getStrategy(sid)).isPresent());
            outcomeOf(() -> knowledge.getApplicableStrategies(cast(content), null, 0.0, 5));
        }
    }

    @Property(tries = 300)
    void randomProjectIdsAndLimitsInQueriesGiveAResultOrAMemoryException(
            @ForAll("text") String projectId, @ForAll("limits") int limit, @ForAll("qualities") double quality) {
        for (MemoryStores stores : List.of(postgres, inMemory)) {
            AgentMemoryStore e = stores.episodes();
            outcomeOf(() -> e.getEpisodesByProject(projectId, limit, quality));
            outcomeOf(() -> e.findSimilarEpisodes(vector(limit), projectId, limit, quality));
            outcomeOf(() -> e.findSimilarEpisodesMatching(vector(limit), EpisodeFilter.builder().excludeProjectId(projectId)
                    .decisionSource(projectId).build(), limit, -quality));
            outcomeOf(() -> e.countEpisodes(projectId));
            outcomeOf(() -> stores.workingMemory().orElseThrow().listActiveSessions(projectId));
        }
    }

    @Property(tries = 60)
    void randomTextsToTheLocalModelGiveAVectorOrAMemoryException(@ForAll("text") String text) {
        outcomeOf(() -> new OnnxEmbedder().embed(text)).ifPresent(v -> assertThat(v).hasSize(OnnxEmbedder.DIMENSIONS));
    }

    // ---- generators ---------------------------------------------------------------------------

    @Provide
    Arbitrary<Object> maps() {
        return Arbitraries.frequencyOf(
                Tuple.of(12, map(3, false)),
                Tuple.of(6, map(3, true)),
                Tuple.of(1, deep()),
                Tuple.of(1, mapWithOddKey()));
    }

    /** Mostly strings every backend stores; one in five anything at all. */
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.frequencyOf(Tuple.of(4, cleanText()), Tuple.of(1, wildText()));
    }

    private static Arbitrary<String> cleanText() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(20)),
                Tuple.of(2, Arbitraries.strings().withCharRange('\u00a0', '\ud7ff').ofMinLength(1).ofMaxLength(8)),
                Tuple.of(1, Arbitraries.of("acme", "x'; DROP TABLE agent_episodes; --", "\uD83D\uDE00 sprint", "\u2028",
                        "a\\b", "%", "_", "\"quoted\"", "tab\there", "new\nline")));
    }

    private static Arbitrary<String> wildText() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(12)),
                Tuple.of(3, Arbitraries.strings().withChars("\0\uD800\uDC00\uDFFF'\";\\%_$- \t\nab{}[]").ofMaxLength(10)),
                Tuple.of(2, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8)),
                Tuple.of(1, Arbitraries.strings().withCharRange('a', 'c').ofMinLength(250).ofMaxLength(300)),
                Tuple.of(1, Arbitraries.of("", " ", "x'; DROP TABLE agent_episodes; --", "\uD83D\uDE00", "\u2028")));
    }

    @Provide
    Arbitrary<Instant> times() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(-100_000_000_000L, 100_000_000_000L).map(Instant::ofEpochSecond)),
                Tuple.of(1, Arbitraries.longs().between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
                        .map(Instant::ofEpochSecond)),
                Tuple.of(1, Arbitraries.of(Instant.MIN, Instant.MAX, Instant.EPOCH,
                        Instant.parse("-4713-11-24T00:00:00Z"), Instant.parse("+294276-12-31T23:59:59Z"))));
    }

    @Provide
    Arbitrary<Double> qualities() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.doubles().between(0, 1)),
                Tuple.of(1, Arbitraries.of(-0.0, -1e-300, 1.0000001, Double.NaN, Double.POSITIVE_INFINITY, -5.0)));
    }

    @Provide
    Arbitrary<Integer> limits() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 50)),
                Tuple.of(1, Arbitraries.integers()),
                Tuple.of(1, Arbitraries.of(0, -1, AgentMemoryStore.MAX_LIMIT, AgentMemoryStore.MAX_LIMIT + 1)));
    }

    /**
     * @param depth how much deeper lists and maps may nest
     * @param wild false for values every backend stores; true for anything, odd objects included
     */
    private Arbitrary<Object> value(int depth, boolean wild) {
        Arbitrary<Object> plain = Arbitraries.frequencyOf(
                Tuple.of(4, (wild ? text() : cleanText()).map(s -> (Object) s)),
                Tuple.of(1, Arbitraries.of(Boolean.TRUE, Boolean.FALSE).map(b -> (Object) b)),
                Tuple.of(4, wild ? numbers() : finiteNumbers()),
                Tuple.of(1, Arbitraries.of("null").map(s -> (Object) null)));
        Arbitrary<Object> leaf = wild ? Arbitraries.frequencyOf(Tuple.of(10, plain), Tuple.of(1, odd())) : plain;
        if (depth <= 0) {
            return leaf;
        }
        return Arbitraries.frequencyOf(
                Tuple.of(5, leaf),
                Tuple.of(1, value(depth - 1, wild).list().ofMaxSize(3).map(l -> (Object) l)),
                Tuple.of(1, map(depth - 1, wild)));
    }

    private Arbitrary<Object> map(int depth, boolean wild) {
        return Arbitraries.maps(wild ? text() : cleanText(), Arbitraries.lazy(() -> value(depth, wild)))
                .ofMaxSize(4).map(m -> (Object) m);
    }

    /** Numbers of every kind and size a JSON value can hold, negative zero and extremes included. */
    private Arbitrary<Object> finiteNumbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().map(i -> (Object) i)),
                Tuple.of(1, Arbitraries.longs().map(l -> (Object) l)),
                Tuple.of(2, Arbitraries.doubles().withSpecialValue(-0.0).withSpecialValue(Double.MIN_VALUE)
                        .withSpecialValue(Double.MAX_VALUE).map(d -> (Object) d)),
                Tuple.of(1, Arbitraries.floats().withSpecialValue(-0.0f).map(f -> (Object) f)),
                Tuple.of(1, Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(),
                        BigInteger.TEN.pow(40)), Arbitraries.integers().between(-400, 400))
                        .as((unscaled, scale) -> (Object) new BigDecimal(unscaled, scale))),
                Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.TWO.pow(200).negate(), BigInteger.TWO.pow(200))
                        .map(b -> (Object) b)));
    }

    private Arbitrary<Object> numbers() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().map(i -> (Object) i)),
                Tuple.of(1, Arbitraries.longs().map(l -> (Object) l)),
                Tuple.of(2, Arbitraries.doubles().withSpecialValue(-0.0).withSpecialValue(Double.MIN_VALUE)
                        .withSpecialValue(Double.MAX_VALUE).withSpecialValue(Double.NaN).map(d -> (Object) d)),
                Tuple.of(1, Arbitraries.floats().withSpecialValue(Float.NaN).withSpecialValue(-0.0f).map(f -> (Object) f)),
                Tuple.of(1, Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.TEN.pow(40).negate(),
                        BigInteger.TEN.pow(40)), Arbitraries.integers().between(-400, 400))
                        .as((unscaled, scale) -> (Object) new BigDecimal(unscaled, scale))),
                Tuple.of(1, Arbitraries.bigIntegers().between(BigInteger.TWO.pow(200).negate(), BigInteger.TWO.pow(200))
                        .map(b -> (Object) b)),
                Tuple.of(1, Arbitraries.of((short) 7, (byte) -3).map(n -> (Object) n)));
    }

    private static Arbitrary<Object> odd() {
        return Arbitraries.of(new Object(), 'c', UUID.randomUUID(), Instant.EPOCH, Optional.empty(), new int[] {1},
                new StringBuilder("sb"));
    }

    private static Arbitrary<Object> deep() {
        return Arbitraries.integers().between(JsonValues.MAX_DEPTH - 2, JsonValues.MAX_DEPTH + 3).map(depth -> {
            Object v = "leaf";
            for (int i = 0; i < depth; i++) {
                v = i % 3 == 0 ? List.of(v) : Map.of("k", v);
            }
            return v instanceof Map<?, ?> ? v : Map.of("k", v);
        });
    }

    private Arbitrary<Object> mapWithOddKey() {
        return Arbitraries.of(7, 'k', Boolean.TRUE, UUID.randomUUID()).map(key -> {
            Map<Object, Object> m = new HashMap<>();
            m.put("fine", 1);
            m.put(key, "odd key");
            return (Object) m;
        });
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** @return the call's result, or empty when it threw a MemoryException; anything else fails the property */
    private static <T> Optional<T> outcomeOf(Supplier<T> call) {
        try {
            return Optional.ofNullable(call.get());
        } catch (MemoryException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return Optional.empty();
        }
    }

    /** Equality, with both sides shown escaped (NUL and surrogates break the test report). */
    private static void same(Object expected, Object actual) {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new AssertionError("read back differs:\n expected " + escape(describe(expected))
                    + "\n   actual " + escape(describe(actual)));
        }
    }

    private static String describe(Object o) {
        if (o instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            m.forEach((k, v) -> sb.append(describe(k)).append('=').append(describe(v)).append(", "));
            return sb.append('}').toString();
        }
        if (o instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            l.forEach(v -> sb.append(describe(v)).append(", "));
            return sb.append(']').toString();
        }
        return o == null ? "null" : o + " (" + o.getClass().getSimpleName() + ")";
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c >= 0x20 && c < 0x7f) {
                sb.append(c);
            } else {
                sb.append(String.format("\\u%04x", (int) c));
            }
        }
        return sb.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return map instanceof Map<?, ?> m ? (Map<String, Object>) m : new LinkedHashMap<>();
    }

    private static float[] vector(int seed) {
        float[] v = new float[DIMENSIONS];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() - 0.5f;
        }
        v[0] += 1;
        return v;
    }
}
