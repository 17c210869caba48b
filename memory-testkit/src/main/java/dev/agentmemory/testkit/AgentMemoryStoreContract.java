package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.DimensionMismatchException;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.EpisodeFilter;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Vectors;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The behaviour every {@link AgentMemoryStore} shares, read from its javadoc. A backend's test
 * extends this class and implements {@link #newStore(int)}.
 *
 * <p>Rules this contract pins down beyond the interface's words, so that every backend behaves the
 * same:
 * <ul>
 *   <li>Every test uses vectors of {@link #DIMENSIONS} components.</li>
 *   <li>An episode's {@code similarity} is not stored: it is null on everything but search results.</li>
 *   <li>{@code minSimilarity} must be a number in [-1, 1]; {@code minQuality} in [0, 1].</li>
 *   <li>"No outcome" means no outcome was recorded: {@code outcome} and {@code outcomeQuality} null.</li>
 *   <li>Ties in time are ordered however the backend likes; the tests use distinct times.</li>
 *   <li>Similarities are compared with {@link Vectors#cosineSimilarity} within {@link #SIMILARITY_TOLERANCE}:
 *       a backend may compute in single precision, as pgvector does.</li>
 * </ul>
 */
public abstract class AgentMemoryStoreContract {

    /** The vector size every test uses. */
    protected static final int DIMENSIONS = 16;
    /** How far a reported similarity may be from the exact double-precision cosine. */
    protected static final double SIMILARITY_TOLERANCE = 1e-5;
    /** A time with microseconds, the precision a stored time keeps. */
    protected static final Instant T0 = Instant.parse("2024-05-01T12:00:00.123456Z");
    /** A project id that would break a query that pasted it into SQL. */
    protected static final String SQL_LOOKING_PROJECT = "x'; DROP TABLE agent_episodes; --";

    /** The store under test, fresh and empty for each test. */
    protected AgentMemoryStore store;

    private final Random random = new Random(42);

    /**
     * @param dimensions the vector size
     * @return a new, empty store for vectors of that size
     */
    protected abstract AgentMemoryStore newStore(int dimensions);

    /**
     * How many episodes are stored, counted without going through the store's own logic where the
     * backend allows (a {@code SELECT count(*)}), to prove that rejected input wrote nothing.
     *
     * @return the number of stored episodes
     */
    protected long countRowsDirectly() {
        return store.countEpisodes(null);
    }

    /**
     * @return how many episodes of other projects surround the 20 of the selective-recall test;
     *     a backend with an approximate index should raise it to where the index matters
     */
    protected int selectiveRecallCorpusSize() {
        return 2_000;
    }

    /** Releases the store after each test; override when the backend holds resources. */
    protected void closeStore(AgentMemoryStore s) {
    }

    @BeforeEach
    void createStore() {
        store = newStore(DIMENSIONS);
    }

    @AfterEach
    void releaseStore() {
        closeStore(store);
    }

    // ---- fixtures -----------------------------------------------------------------------------

    /**
     * @param projectId the project
     * @return a builder for a small, valid episode of that project
     */
    protected static Episode.Builder episode(String projectId) {
        return Episode.builder(projectId)
                .timestamp(T0)
                .perception(Map.of("backlog_tasks", 12, "team availability", "available"))
                .reasoning(Map.of("rule", "enough backlog"))
                .action(Map.of("sprint_created", true, "tasks_assigned", 5));
    }

    /**
     * @param minutes minutes after {@link #T0}
     * @return that time
     */
    protected static Instant at(int minutes) {
        return T0.plus(Duration.ofMinutes(minutes));
    }

    /** @return a vector whose components are drawn at random from [-1, 1) */
    protected float[] randomVector() {
        float[] v = new float[DIMENSIONS];
        for (int i = 0; i < v.length; i++) {
            v[i] = random.nextFloat() * 2 - 1;
        }
        return v;
    }

    /**
     * @param axis a component index
     * @return the unit vector along that axis
     */
    protected static float[] axis(int axis) {
        float[] v = new float[DIMENSIONS];
        v[axis] = 1;
        return v;
    }

    /**
     * @param cosine the wanted cosine similarity to {@code axis(0)}
     * @return a unit vector with that similarity to {@code axis(0)}, lying in the plane of axes 0 and 1
     */
    protected static float[] atCosine(double cosine) {
        float[] v = new float[DIMENSIONS];
        v[0] = (float) cosine;
        v[1] = (float) Math.sqrt(1 - cosine * cosine);
        return v;
    }

    private static List<UUID> ids(List<Episode> episodes) {
        return episodes.stream().map(Episode::episodeId).collect(Collectors.toList());
    }

    private UUID storeAt(String project, int minutes, float @Nullable [] vector) {
        return store.storeEpisode(episode(project).timestamp(at(minutes)).build(), vector);
    }

    private void assertRejectedAndNothingWritten(Runnable call, Class<? extends RuntimeException> type, String field) {
        long before = countRowsDirectly();
        assertThatThrownBy(call::run).isInstanceOf(type).hasMessageContaining(field);
        assertThat(countRowsDirectly()).isEqualTo(before);
    }

    // ---- storing and reading ------------------------------------------------------------------

    @Test
    void storeEpisodeAssignsAnIdWhenTheEpisodeHasNone() {
        UUID id = store.storeEpisode(episode("acme").build(), randomVector());

        assertThat(id).isNotNull();
        assertThat(store.getEpisodeById(id)).get().extracting(Episode::episodeId).isEqualTo(id);
    }

    @Test
    void storeEpisodeKeepsTheIdItIsGiven() {
        UUID given = UUID.randomUUID();

        UUID id = store.storeEpisode(episode("acme").episodeId(given).build(), randomVector());

        assertThat(id).isEqualTo(given);
        assertThat(store.getEpisodeById(given)).isPresent();
    }

    @Test
    void storingAStoredIdAgainChangesNothingAndReturnsTheId() {
        UUID id = UUID.randomUUID();
        Episode first = episode("acme").episodeId(id).reasoning(Map.of("try", 1)).build();
        store.storeEpisode(first, axis(0));

        UUID again = store.storeEpisode(first.toBuilder().reasoning(Map.of("try", 2)).build(), axis(1));

        assertThat(again).isEqualTo(id);
        assertThat(store.countEpisodes(null)).isEqualTo(1);
        assertThat(store.getEpisodeById(id)).contains(first);
        assertThat(store.findSimilarEpisodes(axis(0), "acme", 1, 0.99)).extracting(Episode::episodeId).containsExactly(id);
    }

    @Test
    void storeEpisodeWithoutEmbeddingStoresItAsPending() {
        UUID id = store.storeEpisode(episode("acme").build(), null);

        assertThat(store.getEpisodeById(id)).isPresent();
        assertThat(store.countEpisodesPendingEmbedding()).isEqualTo(1);
        assertThat(store.getEpisodesPendingEmbedding(10)).extracting(Episode::episodeId).containsExactly(id);
    }

    @Test
    void storedEpisodeReadsBackWithEveryFieldEqual() {
        Map<String, Object> team = new LinkedHashMap<>();
        team.put("size", 5);
        team.put("members", List.of("ana", "bo"));
        team.put("availability", Map.of("mon", true, "tue", false));
        Map<String, Object> perception = new LinkedHashMap<>();
        perception.put("team", team);
        perception.put("team availability", "available");
        perception.put("nested lists", List.of(Map.of("x", 1), Map.of("y", List.of(1, 2, List.of(3)))));
        perception.put("nothing", null);
        perception.put("empty list", List.of());
        perception.put("empty map", Map.of());
        perception.put("text", "quote ' double \" backslash \\ unicode naïve 日本語 🚀");
        perception.put("empty text", "");
        perception.put("the word null", "null");
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("completed", 7);
        outcome.put("notes", null);
        outcome.put("on_time", false);
        Episode full = Episode.builder("acme")
                .episodeId(UUID.randomUUID())
                .timestamp(Instant.parse("2024-05-01T12:00:00.123456Z"))
                .perception(perception)
                .reasoning(Map.of("chain", List.of("a", "b"), "confidence", 0.8))
                .action(Map.of("sprint_created", false, "tasks_assigned", 3))
                .outcome(outcome)
                .outcomeQuality(0.75)
                .outcomeRecordedAt(Instant.parse("2024-05-02T08:30:00.000001Z"))
                .agentVersion("2.3.1")
                .controlMode("llm_assisted")
                .decisionSource("llm")
                .sprintId("sprint-42")
                .chronicleNoteId(UUID.randomUUID())
                .build();

        UUID id = store.storeEpisode(full, randomVector());

        assertThat(store.getEpisodeById(id)).contains(full);
    }

    @Test
    void storedEpisodeKeepsNumbersOfEveryKindExactly() {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("int", 14);
        numbers.put("negative", -7);
        numbers.put("zero", 0);
        numbers.put("long beyond a double's exact range", 9_007_199_254_740_993L);
        numbers.put("big integer", new BigInteger("123456789012345678901234567890"));
        numbers.put("double", 3.75);
        numbers.put("whole double", 1.0);
        numbers.put("tenth", 0.1);
        numbers.put("tiny", 1.5e-10);
        numbers.put("large", 6.02214076e23);
        numbers.put("float", 2.1f);
        numbers.put("decimal beyond a double", new BigDecimal("3.141592653589793238462643383279"));
        numbers.put("list", List.of(1, 2.5, -3L, 4_000_000_000L));
        Episode e = episode("acme").perception(numbers).build();

        UUID id = store.storeEpisode(e, randomVector());

        Map<String, Object> read = store.getEpisodeById(id).orElseThrow().perception();
        assertThat(read).isEqualTo(e.perception());
        assertThat(read.get("long beyond a double's exact range")).isEqualTo(9_007_199_254_740_993L);
        assertThat(read.get("float")).isEqualTo(2.1);
    }

    @Test
    void storedEpisodeKeepsTimesToTheMicrosecond() {
        Instant withNanos = Instant.parse("2024-05-01T12:00:00.123456789Z");
        Episode e = episode("acme").timestamp(withNanos).build();

        UUID id = store.storeEpisode(e, randomVector());

        assertThat(store.getEpisodeById(id).orElseThrow().timestamp())
                .isEqualTo(Instant.parse("2024-05-01T12:00:00.123456Z"));
    }

    @Test
    void minimalEpisodeReadsBackWithDefaultsAndNulls() {
        Episode minimal = Episode.builder("acme").perception(Map.of()).reasoning(Map.of()).action(Map.of()).build();

        UUID id = store.storeEpisode(minimal, null);

        Episode read = store.getEpisodeById(id).orElseThrow();
        assertThat(read).isEqualTo(minimal.withEpisodeId(id));
        assertThat(read.outcome()).isNull();
        assertThat(read.outcomeQuality()).isNull();
        assertThat(read.outcomeRecordedAt()).isNull();
        assertThat(read.sprintId()).isNull();
        assertThat(read.chronicleNoteId()).isNull();
        assertThat(read.similarity()).isNull();
        assertThat(read.agentVersion()).isEqualTo(Episode.DEFAULT_AGENT_VERSION);
    }

    @Test
    void similarityIsNotStored() {
        UUID id = store.storeEpisode(episode("acme").similarity(0.9).build(), randomVector());

        assertThat(store.getEpisodeById(id).orElseThrow().similarity()).isNull();
    }

    @Test
    void getEpisodeByIdIsEmptyForAnUnknownId() {
        store.storeEpisode(episode("acme").build(), randomVector());

        assertThat(store.getEpisodeById(UUID.randomUUID())).isEmpty();
    }

    @Test
    void changingTheCallersVectorAfterStoringChangesNothingStored() {
        float[] v = axis(0);
        UUID id = store.storeEpisode(episode("acme").build(), v);
        v[0] = 0;
        v[1] = 1;

        assertThat(store.findSimilarEpisodes(axis(0), "acme", 1, 0.99)).extracting(Episode::episodeId).containsExactly(id);
    }

    // ---- batches ------------------------------------------------------------------------------

    @Test
    void storeEpisodesStoresEachAndReturnsTheIdsInOrder() {
        UUID given = UUID.randomUUID();
        List<Episode> batch = List.of(
                episode("acme").timestamp(at(1)).build(),
                episode("acme").episodeId(given).timestamp(at(2)).build(),
                episode("beta").timestamp(at(3)).build());
        List<float @Nullable []> vectors = Arrays.asList(axis(0), null, axis(2));

        List<UUID> ids = store.storeEpisodes(batch, vectors);

        assertThat(ids).hasSize(3).doesNotHaveDuplicates();
        assertThat(ids.get(1)).isEqualTo(given);
        assertThat(store.getEpisodeById(ids.get(0)).orElseThrow().timestamp()).isEqualTo(at(1));
        assertThat(store.getEpisodeById(ids.get(2)).orElseThrow().projectId()).isEqualTo("beta");
        assertThat(store.getEpisodesPendingEmbedding(10)).extracting(Episode::episodeId).containsExactly(given);
        assertThat(store.findSimilarEpisodes(axis(2), null, 1, 0.99)).extracting(Episode::episodeId)
                .containsExactly(ids.get(2));
    }

    @Test
    void storeEpisodesOfAnEmptyBatchReturnsNoIds() {
        assertThat(store.storeEpisodes(List.of(), List.of())).isEmpty();
        assertThat(countRowsDirectly()).isZero();
    }

    @Test
    void storeEpisodesWritesNothingWhenOneVectorIsInvalid() {
        float[] tooShort = new float[DIMENSIONS - 1];
        tooShort[0] = 1;
        List<Episode> batch = List.of(episode("acme").build(), episode("acme").build(), episode("acme").build());

        assertRejectedAndNothingWritten(() -> store.storeEpisodes(batch, Arrays.asList(axis(0), null, tooShort)),
                DimensionMismatchException.class, String.valueOf(DIMENSIONS - 1));
        assertThat(store.countEpisodesPendingEmbedding()).isZero();
    }

    @Test
    void storeEpisodesRejectsAVectorCountOtherThanTheEpisodeCount() {
        List<Episode> batch = List.of(episode("acme").build(), episode("acme").build());
        List<float[]> one = List.of(axis(0));

        assertRejectedAndNothingWritten(() -> store.storeEpisodes(batch, one), InvalidInputException.class, "embeddings");
    }

    @Test
    void storeEpisodesKeepsAnEpisodeThatIsAlreadyStored() {
        UUID id = UUID.randomUUID();
        Episode stored = episode("acme").episodeId(id).reasoning(Map.of("v", 1)).build();
        store.storeEpisode(stored, axis(0));

        List<UUID> ids = store.storeEpisodes(
                List.of(stored.toBuilder().reasoning(Map.of("v", 2)).build(), episode("acme").build()),
                List.of(axis(1), axis(2)));

        assertThat(ids.get(0)).isEqualTo(id);
        assertThat(store.countEpisodes(null)).isEqualTo(2);
        assertThat(store.getEpisodeById(id)).contains(stored);
    }

    @Test
    void storeEpisodesIfAbsentAnswersOnlyTheIdsItWroteAndKeepsTheStoredOne() {
        UUID id = UUID.randomUUID();
        Episode stored = episode("acme").episodeId(id).reasoning(Map.of("v", 1)).build();
        store.storeEpisode(stored, axis(0));
        Episode fresh = episode("beta").episodeId(UUID.randomUUID()).build();

        List<UUID> written = store.storeEpisodesIfAbsent(
                List.of(stored.toBuilder().projectId("beta").reasoning(Map.of("v", 2)).build(), fresh),
                Arrays.asList(axis(1), null));

        assertThat(written).containsExactly(fresh.episodeId());
        assertThat(store.getEpisodeById(id)).contains(stored);
        assertThat(store.getEpisodeById(fresh.episodeId())).isPresent();
        assertThat(store.storeEpisodesIfAbsent(List.of(fresh), Arrays.asList((float[]) null))).isEmpty();
        assertThat(store.countEpisodes(null)).isEqualTo(2);
    }

    @Test
    void storeEpisodesIfAbsentOfADuplicateWithinOneBatchWritesTheFirst() {
        UUID id = UUID.randomUUID();
        Episode first = episode("acme").episodeId(id).reasoning(Map.of("v", 1)).build();

        List<UUID> written = store.storeEpisodesIfAbsent(
                List.of(first, first.toBuilder().reasoning(Map.of("v", 2)).build()), List.of(axis(0), axis(1)));

        assertThat(written).containsExactly(id);
        assertThat(store.getEpisodeById(id)).contains(first);
    }

    // ---- by project ---------------------------------------------------------------------------

    @Test
    void getEpisodesByProjectReturnsNewestFirst() {
        UUID middle = storeAt("acme", 2, randomVector());
        UUID oldest = storeAt("acme", 1, null);
        UUID newest = storeAt("acme", 3, randomVector());
        storeAt("beta", 4, randomVector());

        assertThat(ids(store.getEpisodesByProject("acme", 100, null))).containsExactly(newest, middle, oldest);
    }

    @Test
    void getEpisodesByProjectReturnsAtMostLimit() {
        for (int i = 0; i < 5; i++) {
            storeAt("acme", i, randomVector());
        }
        UUID newest = storeAt("acme", 10, randomVector());

        List<Episode> two = store.getEpisodesByProject("acme", 2, null);

        assertThat(two).hasSize(2);
        assertThat(two.get(0).episodeId()).isEqualTo(newest);
    }

    @Test
    void getEpisodesByProjectWithMinQualityReturnsOnlyOutcomesThatGood() {
        UUID good = store.storeEpisode(episode("acme").timestamp(at(1)).outcome(Map.of("ok", true)).outcomeQuality(0.9).build(), null);
        UUID exact = store.storeEpisode(episode("acme").timestamp(at(2)).outcome(Map.of("ok", true)).outcomeQuality(0.6).build(), null);
        store.storeEpisode(episode("acme").timestamp(at(3)).outcome(Map.of("ok", false)).outcomeQuality(0.2).build(), null);
        store.storeEpisode(episode("acme").timestamp(at(4)).build(), null);

        assertThat(ids(store.getEpisodesByProject("acme", 100, 0.6))).containsExactly(exact, good);
        assertThat(store.getEpisodesByProject("acme", 100, null)).hasSize(4);
    }

    @Test
    void getEpisodesByProjectIsEmptyForAProjectWithoutEpisodes() {
        storeAt("acme", 1, randomVector());

        assertThat(store.getEpisodesByProject("nobody", 100, null)).isEmpty();
    }

    @Test
    void projectIdsMatchExactlyNotByCaseOrPrefix() {
        storeAt("acme", 1, axis(0));
        storeAt("Acme", 2, axis(0));
        storeAt("acme-2", 3, axis(0));
        storeAt("acm%", 4, axis(0));

        assertThat(store.getEpisodesByProject("acme", 100, null)).extracting(Episode::projectId).containsExactly("acme");
        assertThat(store.getEpisodesByProject("acm%", 100, null)).extracting(Episode::projectId).containsExactly("acm%");
        assertThat(store.findSimilarEpisodes(axis(0), "acme", 10, 0.5)).extracting(Episode::projectId).containsExactly("acme");
        assertThat(store.countEpisodes("acme")).isEqualTo(1);
    }

    // ---- similarity search --------------------------------------------------------------------

    @Test
    void findSimilarEpisodesOrdersByCosineSimilarityAndReportsIt() {
        List<float[]> vectors = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            float[] v = randomVector();
            vectors.add(v);
            storeAt("acme", i, v);
        }
        float[] query = randomVector();

        List<Episode> found = store.findSimilarEpisodes(query, "acme", 30, -1);

        assertThat(found).hasSize(30);
        assertThat(found).extracting(Episode::similarity).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        double[] expected = vectors.stream().mapToDouble(v -> Vectors.cosineSimilarity(query, v))
                .sorted().toArray();
        for (int i = 0; i < found.size(); i++) {
            assertThat(found.get(i).similarity()).isCloseTo(expected[expected.length - 1 - i], within(SIMILARITY_TOLERANCE));
        }
    }

    @Test
    void findSimilarEpisodesReportsTheSimilarityOfEachResultsOwnVector() {
        Map<UUID, float[]> byId = new LinkedHashMap<>();
        for (int i = 0; i < 10; i++) {
            float[] v = randomVector();
            byId.put(storeAt("acme", i, v), v);
        }
        float[] query = randomVector();

        for (Episode e : store.findSimilarEpisodes(query, "acme", 10, -1)) {
            assertThat(e.similarity()).isCloseTo(Vectors.cosineSimilarity(query, byId.get(e.episodeId())),
                    within(SIMILARITY_TOLERANCE));
        }
    }

    @Test
    void similarityIgnoresTheLengthOfVectors() {
        float[] longVector = axis(3);
        longVector[3] = 250;
        storeAt("acme", 1, longVector);
        float[] shortQuery = axis(3);
        shortQuery[3] = 0.001f;

        List<Episode> found = store.findSimilarEpisodes(shortQuery, "acme", 1, 0.9);

        assertThat(found).singleElement().extracting(Episode::similarity).satisfies(
                s -> assertThat(s).isCloseTo(1.0, within(SIMILARITY_TOLERANCE)));
    }

    @Test
    void findSimilarEpisodesReturnsOppositeVectorsWithNegativeSimilarity() {
        float[] opposite = axis(0);
        opposite[0] = -1;
        storeAt("acme", 1, opposite);

        assertThat(store.findSimilarEpisodes(axis(0), "acme", 1, -1)).singleElement()
                .satisfies(e -> assertThat(e.similarity()).isCloseTo(-1.0, within(SIMILARITY_TOLERANCE)));
        assertThat(store.findSimilarEpisodes(axis(0), "acme", 1, 0)).isEmpty();
    }

    @Test
    void findSimilarEpisodesDropsResultsBelowMinSimilarity() {
        UUID close = storeAt("acme", 1, atCosine(0.95));
        UUID fair = storeAt("acme", 2, atCosine(0.75));
        storeAt("acme", 3, atCosine(0.5));
        storeAt("acme", 4, atCosine(-0.3));

        assertThat(ids(store.findSimilarEpisodes(axis(0), "acme", 10, 0.7))).containsExactly(close, fair);
        assertThat(ids(store.findSimilarEpisodes(axis(0), "acme", 10, 0.9))).containsExactly(close);
        assertThat(store.findSimilarEpisodes(axis(0), "acme", 10, 0.99)).isEmpty();
    }

    @Test
    void findSimilarEpisodesReturnsTheMostSimilarUpToLimit() {
        UUID best = storeAt("acme", 1, atCosine(0.99));
        UUID second = storeAt("acme", 2, atCosine(0.9));
        for (int i = 0; i < 20; i++) {
            storeAt("acme", 3 + i, atCosine(0.5 - i * 0.01));
        }

        assertThat(ids(store.findSimilarEpisodes(axis(0), "acme", 2, -1))).containsExactly(best, second);
    }

    @Test
    void findSimilarEpisodesWithoutProjectSearchesEveryProject() {
        UUID a = storeAt("acme", 1, atCosine(0.9));
        UUID b = storeAt("beta", 2, atCosine(0.95));
        UUID c = storeAt(SQL_LOOKING_PROJECT, 3, atCosine(0.8));

        assertThat(ids(store.findSimilarEpisodes(axis(0), null, 10, 0.7))).containsExactly(b, a, c);
        assertThat(ids(store.findSimilarEpisodesMatching(axis(0), EpisodeFilter.ALL, 10, 0.7))).containsExactly(b, a, c);
    }

    @Test
    void searchForOneProjectNeverReturnsAnotherProjectsEpisodes() {
        UUID mine = storeAt("acme", 1, atCosine(0.5));
        for (int i = 0; i < 10; i++) {
            storeAt("beta", 2 + i, axis(0));
        }

        assertThat(ids(store.findSimilarEpisodes(axis(0), "acme", 10, -1))).containsExactly(mine);
        assertThat(store.findSimilarEpisodesMatching(axis(0), EpisodeFilter.project("acme"), 10, -1))
                .extracting(Episode::projectId).containsOnly("acme");
        assertThat(store.getEpisodesByProject("acme", 100, null)).extracting(Episode::projectId).containsOnly("acme");
    }

    @Test
    void findSimilarEpisodesNeverReturnsPendingEpisodes() {
        UUID embedded = storeAt("acme", 1, atCosine(0.8));
        storeAt("acme", 2, null);

        assertThat(ids(store.findSimilarEpisodes(axis(0), "acme", 10, -1))).containsExactly(embedded);
    }

    @Test
    void findSimilarEpisodesOnAnEmptyStoreFindsNothing() {
        assertThat(store.findSimilarEpisodes(axis(0), null, 10, -1)).isEmpty();
        assertThat(store.findSimilarEpisodes(axis(0), "acme", 10, -1)).isEmpty();
    }

    @Test
    void searchResultsCarryTheWholeEpisode() {
        Episode e = episode("acme").outcome(Map.of("done", 3)).outcomeQuality(0.5)
                .outcomeRecordedAt(at(5)).sprintId("s1").chronicleNoteId(UUID.randomUUID()).build();
        UUID id = store.storeEpisode(e, axis(0));

        Episode found = store.findSimilarEpisodes(axis(0), "acme", 1, 0.5).get(0);

        assertThat(found.similarity()).isNotNull();
        assertThat(found.withSimilarity(null)).isEqualTo(e.withEpisodeId(id));
    }

    @Test
    void filterExcludeProjectLeavesThatProjectOut() {
        storeAt("acme", 1, axis(0));
        UUID b = storeAt("beta", 2, atCosine(0.9));
        UUID c = storeAt("gamma", 3, atCosine(0.8));

        EpisodeFilter others = EpisodeFilter.builder().excludeProjectId("acme").build();

        assertThat(ids(store.findSimilarEpisodesMatching(axis(0), others, 10, -1))).containsExactly(b, c);
    }

    @Test
    void filterDecisionSourceAndControlModeMatchExactly() {
        UUID llm = store.storeEpisode(episode("acme").decisionSource("llm").controlMode("llm_assisted").build(), atCosine(0.9));
        UUID rules = store.storeEpisode(episode("acme").build(), atCosine(0.8));
        store.storeEpisode(episode("acme").decisionSource("llm").build(), atCosine(0.7));

        EpisodeFilter bySource = EpisodeFilter.builder().decisionSource("llm").controlMode("llm_assisted").build();
        EpisodeFilter byMode = EpisodeFilter.builder().controlMode(Episode.DEFAULT_CONTROL_MODE)
                .decisionSource(Episode.DEFAULT_DECISION_SOURCE).build();

        assertThat(ids(store.findSimilarEpisodesMatching(axis(0), bySource, 10, -1))).containsExactly(llm);
        assertThat(ids(store.findSimilarEpisodesMatching(axis(0), byMode, 10, -1))).containsExactly(rules);
        assertThat(store.findSimilarEpisodesMatching(axis(0), EpisodeFilter.builder().decisionSource("LLM").build(), 10, -1)).isEmpty();
    }

    @Test
    void filterMinOutcomeQualityKeepsOnlyGoodEnoughRecordedOutcomes() {
        UUID good = store.storeEpisode(episode("acme").outcome(Map.of()).outcomeQuality(0.8).build(), atCosine(0.9));
        UUID exact = store.storeEpisode(episode("acme").outcome(Map.of()).outcomeQuality(0.5).build(), atCosine(0.8));
        store.storeEpisode(episode("acme").outcome(Map.of()).outcomeQuality(0.49).build(), atCosine(0.95));
        store.storeEpisode(episode("acme").build(), atCosine(0.99));

        EpisodeFilter filter = EpisodeFilter.builder().projectId("acme").minOutcomeQuality(0.5).build();

        assertThat(ids(store.findSimilarEpisodesMatching(axis(0), filter, 10, -1))).containsExactly(good, exact);
    }

    @Test
    void filterFromIsInclusiveAndToIsExclusive() {
        storeAt("acme", 0, atCosine(0.9));
        UUID atFrom = storeAt("acme", 10, atCosine(0.8));
        UUID inside = storeAt("acme", 15, atCosine(0.85));
        storeAt("acme", 20, atCosine(0.95));

        EpisodeFilter window = EpisodeFilter.builder().from(at(10)).to(at(20)).build();

        assertThat(ids(store.findSimilarEpisodesMatching(axis(0), window, 10, -1))).containsExactly(inside, atFrom);
        assertThat(store.findSimilarEpisodesMatching(axis(0), EpisodeFilter.builder().from(at(21)).build(), 10, -1)).isEmpty();
        assertThat(store.findSimilarEpisodesMatching(axis(0), EpisodeFilter.builder().to(at(0)).build(), 10, -1)).isEmpty();
    }

    @Test
    void selectiveProjectFilterStillFindsAllOfThatProjectsEpisodes() {
        int others = selectiveRecallCorpusSize();
        int batchSize = 1_000;
        for (int start = 0; start < others; start += batchSize) {
            int n = Math.min(batchSize, others - start);
            List<Episode> batch = new ArrayList<>(n);
            List<float[]> vectors = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                batch.add(episode("other-" + ((start + i) % 50)).timestamp(at(i)).build());
                vectors.add(randomVector());
            }
            store.storeEpisodes(batch, vectors);
        }
        Set<UUID> rare = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            rare.add(storeAt("rare", i, randomVector()));
        }

        List<Episode> found = store.findSimilarEpisodes(randomVector(), "rare", 100, -1);

        assertThat(ids(found)).containsExactlyInAnyOrderElementsOf(rare);
        assertThat(store.countEpisodes(null)).isEqualTo(others + 20L);
    }

    // ---- outcomes -----------------------------------------------------------------------------

    @Test
    void updateEpisodeOutcomeRecordsOutcomeQualityAndTimeAndNothingElse() {
        Episode original = episode("acme").sprintId("s1").build();
        UUID id = store.storeEpisode(original, randomVector());
        Map<String, Object> outcome = Map.of("completed", 8, "carried_over", List.of("t-1"));

        store.updateEpisodeOutcome(id, outcome, 0.8);

        Episode read = store.getEpisodeById(id).orElseThrow();
        assertThat(read.outcome()).isEqualTo(outcome);
        assertThat(read.outcomeQuality()).isEqualTo(0.8);
        assertThat(read.outcomeRecordedAt()).isNotNull();
        assertThat(read.toBuilder().outcome(null).outcomeQuality(null).outcomeRecordedAt(null).build())
                .isEqualTo(original.withEpisodeId(id));
    }

    @Test
    void updateEpisodeOutcomeOfAnUnknownEpisodeThrowsNotFound() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> store.updateEpisodeOutcome(unknown, Map.of("ok", true), 0.5))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(unknown.toString());
        assertThat(countRowsDirectly()).isZero();
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.01, 1.01, Double.NaN, Double.POSITIVE_INFINITY})
    void updateEpisodeOutcomeRejectsQualityOutsideZeroToOne(double quality) {
        UUID id = store.storeEpisode(episode("acme").build(), randomVector());

        assertThatThrownBy(() -> store.updateEpisodeOutcome(id, Map.of("ok", true), quality))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("outcomeQuality");
        assertThat(store.getEpisodeById(id).orElseThrow().hasOutcome()).isFalse();
    }

    @Test
    void updateEpisodeOutcomeRejectsAnOutcomeThatIsNotJsonLike() {
        UUID id = store.storeEpisode(episode("acme").build(), randomVector());
        Map<String, Object> bad = Map.of("when", Instant.now());

        assertThatThrownBy(() -> store.updateEpisodeOutcome(id, bad, 0.5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("outcome.when");
        assertThat(store.getEpisodeById(id).orElseThrow().outcome()).isNull();
    }

    @Test
    void getEpisodesWithoutOutcomesReturnsSprintEpisodesAwaitingAnOutcomeOldestFirst() {
        UUID newer = store.storeEpisode(episode("acme").sprintId("s2").timestamp(at(2)).build(), null);
        UUID older = store.storeEpisode(episode("beta").sprintId("s1").timestamp(at(1)).build(), randomVector());
        store.storeEpisode(episode("acme").timestamp(at(0)).build(), null);
        UUID recorded = store.storeEpisode(episode("acme").sprintId("s3").timestamp(at(-1)).build(), null);
        store.updateEpisodeOutcome(recorded, Map.of("done", true), 1.0);

        assertThat(ids(store.getEpisodesWithoutOutcomes(100))).containsExactly(older, newer);
        assertThat(ids(store.getEpisodesWithoutOutcomes(1))).containsExactly(older);
    }

    // ---- embeddings ---------------------------------------------------------------------------

    @Test
    void updateEpisodeEmbeddingMakesAPendingEpisodeSearchable() {
        UUID id = storeAt("acme", 1, null);

        store.updateEpisodeEmbedding(id, axis(0));

        assertThat(store.countEpisodesPendingEmbedding()).isZero();
        assertThat(store.getEpisodesPendingEmbedding(10)).isEmpty();
        assertThat(ids(store.findSimilarEpisodes(axis(0), "acme", 10, 0.99))).containsExactly(id);
    }

    @Test
    void updateEpisodeEmbeddingReplacesTheVector() {
        UUID id = storeAt("acme", 1, axis(0));

        store.updateEpisodeEmbedding(id, axis(1));

        assertThat(store.findSimilarEpisodes(axis(0), "acme", 10, 0.5)).isEmpty();
        assertThat(ids(store.findSimilarEpisodes(axis(1), "acme", 10, 0.99))).containsExactly(id);
        assertThat(store.countEpisodes(null)).isEqualTo(1);
    }

    @Test
    void updateEpisodeEmbeddingOfAnUnknownEpisodeThrowsNotFound() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> store.updateEpisodeEmbedding(unknown, axis(0)))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(unknown.toString());
        assertThat(countRowsDirectly()).isZero();
    }

    @Test
    void updateEpisodeEmbeddingWithABadVectorLeavesTheEpisodePending() {
        UUID id = storeAt("acme", 1, null);

        assertThatThrownBy(() -> store.updateEpisodeEmbedding(id, new float[DIMENSIONS]))
                .isInstanceOf(InvalidInputException.class);
        assertThat(store.countEpisodesPendingEmbedding()).isEqualTo(1);
    }

    @Test
    void getEpisodesPendingEmbeddingReturnsOldestFirstUpToLimit() {
        UUID second = storeAt("acme", 2, null);
        storeAt("acme", 0, randomVector());
        UUID first = storeAt("beta", 1, null);
        UUID third = storeAt("acme", 3, null);

        assertThat(ids(store.getEpisodesPendingEmbedding(10))).containsExactly(first, second, third);
        assertThat(ids(store.getEpisodesPendingEmbedding(2))).containsExactly(first, second);
        assertThat(store.countEpisodesPendingEmbedding()).isEqualTo(3);
    }

    // ---- delete, count, dimensions ------------------------------------------------------------

    @Test
    void deleteEpisodeRemovesItEverywhereAndSaysWhetherItExisted() {
        UUID embedded = storeAt("acme", 1, axis(0));
        UUID pending = storeAt("acme", 2, null);
        UUID kept = storeAt("acme", 3, atCosine(0.9));

        assertThat(store.deleteEpisode(embedded)).isTrue();
        assertThat(store.deleteEpisode(pending)).isTrue();
        assertThat(store.deleteEpisode(embedded)).isFalse();
        assertThat(store.deleteEpisode(UUID.randomUUID())).isFalse();

        assertThat(store.getEpisodeById(embedded)).isEmpty();
        assertThat(ids(store.findSimilarEpisodes(axis(0), "acme", 10, -1))).containsExactly(kept);
        assertThat(store.countEpisodesPendingEmbedding()).isZero();
        assertThat(ids(store.getEpisodesByProject("acme", 10, null))).containsExactly(kept);
    }

    @Test
    void deletedIdCanBeStoredAgain() {
        UUID id = storeAt("acme", 1, axis(0));
        store.deleteEpisode(id);

        store.storeEpisode(episode("acme").episodeId(id).build(), axis(1));

        assertThat(ids(store.findSimilarEpisodes(axis(1), "acme", 10, 0.99))).containsExactly(id);
    }

    @Test
    void countEpisodesCountsOneProjectOrAll() {
        storeAt("acme", 1, randomVector());
        storeAt("acme", 2, null);
        storeAt("beta", 3, randomVector());

        assertThat(store.countEpisodes("acme")).isEqualTo(2);
        assertThat(store.countEpisodes("beta")).isEqualTo(1);
        assertThat(store.countEpisodes("nobody")).isZero();
        assertThat(store.countEpisodes(null)).isEqualTo(3);
    }

    @Test
    void dimensionsAreThoseTheStoreWasCreatedFor() {
        assertThat(store.dimensions()).isEqualTo(DIMENSIONS);
    }

    // ---- bad input ----------------------------------------------------------------------------

    @Test
    void vectorOfTheWrongSizeIsRejectedNamingBothSizes() {
        float[] wrong = new float[DIMENSIONS + 3];
        wrong[0] = 1;

        assertRejectedAndNothingWritten(() -> store.storeEpisode(episode("acme").build(), wrong),
                DimensionMismatchException.class, String.valueOf(DIMENSIONS + 3));
        assertThatThrownBy(() -> store.storeEpisode(episode("acme").build(), wrong))
                .hasMessageContaining(String.valueOf(DIMENSIONS));
        assertThatThrownBy(() -> store.findSimilarEpisodes(wrong, "acme", 10, 0.7))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining(String.valueOf(DIMENSIONS)).hasMessageContaining(String.valueOf(DIMENSIONS + 3));
    }

    @ParameterizedTest
    @ValueSource(floats = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY})
    void vectorWithANonFiniteComponentIsRejected(float bad) {
        float[] v = axis(0);
        v[5] = bad;

        assertRejectedAndNothingWritten(() -> store.storeEpisode(episode("acme").build(), v),
                InvalidInputException.class, "finite");
        assertThatThrownBy(() -> store.findSimilarEpisodes(v, "acme", 10, 0.7)).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void zeroVectorIsRejectedForStoringAndForSearching() {
        float[] zero = new float[DIMENSIONS];
        storeAt("acme", 1, axis(0));

        assertRejectedAndNothingWritten(() -> store.storeEpisode(episode("acme").build(), zero),
                InvalidInputException.class, "zero vector");
        assertThatThrownBy(() -> store.findSimilarEpisodes(zero, "acme", 10, -1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("zero vector");
        assertThatThrownBy(() -> store.findSimilarEpisodesMatching(zero, EpisodeFilter.ALL, 10, -1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("zero vector");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, AgentMemoryStore.MAX_LIMIT + 1})
    void limitOutsideOneToMaxIsRejected(int limit) {
        storeAt("acme", 1, axis(0));

        for (Runnable call : List.<Runnable>of(
                () -> store.getEpisodesByProject("acme", limit, null),
                () -> store.findSimilarEpisodes(axis(0), "acme", limit, 0.5),
                () -> store.findSimilarEpisodesMatching(axis(0), EpisodeFilter.ALL, limit, 0.5),
                () -> store.getEpisodesWithoutOutcomes(limit),
                () -> store.getEpisodesPendingEmbedding(limit))) {
            assertThatThrownBy(call::run).isInstanceOf(InvalidInputException.class)
                    .hasMessageContaining("limit").hasMessageContaining(String.valueOf(limit));
        }
    }

    @Test
    void theLargestLimitIsAccepted() {
        storeAt("acme", 1, axis(0));

        assertThat(store.getEpisodesByProject("acme", AgentMemoryStore.MAX_LIMIT, null)).hasSize(1);
        assertThat(store.findSimilarEpisodes(axis(0), "acme", AgentMemoryStore.MAX_LIMIT, -1)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.1, 1.1, Double.NaN})
    void minQualityOutsideZeroToOneIsRejected(double minQuality) {
        assertThatThrownBy(() -> store.getEpisodesByProject("acme", 10, minQuality))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minQuality");
        assertThatThrownBy(() -> EpisodeFilter.builder().minOutcomeQuality(minQuality).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minOutcomeQuality");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-1.01, 1.01, Double.NaN, Double.NEGATIVE_INFINITY})
    void minSimilarityOutsideMinusOneToOneIsRejected(double minSimilarity) {
        assertThatThrownBy(() -> store.findSimilarEpisodes(axis(0), "acme", 10, minSimilarity))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minSimilarity");
        assertThatThrownBy(() -> store.findSimilarEpisodesMatching(axis(0), EpisodeFilter.ALL, 10, minSimilarity))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minSimilarity");
    }

    @Test
    void blankProjectIsRejectedInQueries() {
        assertThatThrownBy(() -> store.getEpisodesByProject(" ", 10, null))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("projectId");
        assertThatThrownBy(() -> store.findSimilarEpisodes(axis(0), "", 10, 0.5))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("projectId");
        assertThatThrownBy(() -> store.countEpisodes(""))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("projectId");
    }

    @Test
    void sqlLookingProjectIdIsStoredAndFoundLiterally() {
        UUID id = store.storeEpisode(episode(SQL_LOOKING_PROJECT).decisionSource("a' OR '1'='1").build(), axis(0));
        storeAt("acme", 1, axis(0));

        assertThat(store.getEpisodeById(id).orElseThrow().projectId()).isEqualTo(SQL_LOOKING_PROJECT);
        assertThat(ids(store.getEpisodesByProject(SQL_LOOKING_PROJECT, 10, null))).containsExactly(id);
        assertThat(ids(store.findSimilarEpisodes(axis(0), SQL_LOOKING_PROJECT, 10, 0.5))).containsExactly(id);
        assertThat(ids(store.findSimilarEpisodesMatching(axis(0),
                EpisodeFilter.builder().decisionSource("a' OR '1'='1").build(), 10, 0.5))).containsExactly(id);
        assertThat(store.countEpisodes(SQL_LOOKING_PROJECT)).isEqualTo(1);
        assertThat(store.countEpisodes(null)).isEqualTo(2);
    }

    @Test
    void nullEpisodeIsRejected() {
        assertRejectedAndNothingWritten(() -> store.storeEpisode(null, axis(0)), InvalidInputException.class, "episode");
    }

    // ---- concurrency --------------------------------------------------------------------------

    @Test
    void episodesStoredFromManyThreadsAtOnceAreEachStoredOnce() throws Exception {
        int threads = 8;
        int perThread = 25;
        List<Callable<List<UUID>>> writers = new ArrayList<>();
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            int thread = t;
            float[][] vectors = new float[perThread][];
            for (int i = 0; i < perThread; i++) {
                vectors[i] = randomVector();
            }
            writers.add(() -> {
                start.await();
                List<UUID> ids = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    ids.add(store.storeEpisode(episode("p" + thread % 3).timestamp(at(i)).build(), vectors[i]));
                }
                return ids;
            });
        }

        List<UUID> all = runAll(writers, start);

        assertThat(all).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(store.countEpisodes(null)).isEqualTo(threads * perThread);
        assertThat(all).allSatisfy(id -> assertThat(store.getEpisodeById(id)).isPresent());
    }

    @Test
    void theSameEpisodeStoredFromManyThreadsAtOnceIsStoredOnce() throws Exception {
        Episode same = episode("acme").episodeId(UUID.randomUUID()).build();
        CountDownLatch start = new CountDownLatch(1);
        List<Callable<List<UUID>>> writers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            writers.add(() -> {
                start.await();
                return List.of(store.storeEpisode(same, axis(0)));
            });
        }

        List<UUID> all = runAll(writers, start);

        assertThat(all).hasSize(8).containsOnly(same.episodeId());
        assertThat(store.countEpisodes(null)).isEqualTo(1);
    }

    private static List<UUID> runAll(List<Callable<List<UUID>>> tasks, CountDownLatch start) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<Future<List<UUID>>> futures = new ArrayList<>();
            for (Callable<List<UUID>> task : tasks) {
                futures.add(pool.submit(task));
            }
            start.countDown();
            List<UUID> all = new ArrayList<>();
            for (Future<List<UUID>> f : futures) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
