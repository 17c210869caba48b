package dev.agentmemory.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentmemory.api.AgentMemoryStore;
import dev.agentmemory.api.DimensionMismatchException;
import dev.agentmemory.api.Evidence;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link KnowledgeStore} shares. A backend's test extends this class and
 * implements {@link #newKnowledgeStore(int, double, int)}.
 *
 * <p>Rules this contract pins down beyond the interface's words:
 * <ul>
 *   <li>A store is created with a confidence floor and a minimum number of applications: once a
 *       strategy has been applied at least that often, an application that leaves its confidence
 *       below the floor deactivates it. The default store of these tests uses
 *       {@link #CONFIDENCE_FLOOR} and {@link #MIN_APPLICATIONS}.</li>
 *   <li>{@code recordApplication} appends the episode to the supporting (success) or contradicting
 *       (failure) list, sets {@code lastApplied} and {@code lastValidated} to now, and sets the
 *       confidence to {@code Evidence.confidence(successCount, timesApplied, confidence)}.</li>
 *   <li>Among equally confident applicable strategies, those with a description vector closer (by
 *       cosine) to the context's vector come first; those without a vector come after those with
 *       one.</li>
 * </ul>
 */
public abstract class KnowledgeStoreContract {

    /** The vector size every test uses. */
    protected static final int DIMENSIONS = 16;
    /** The confidence floor of the store most tests use. */
    protected static final double CONFIDENCE_FLOOR = 0.2;
    /** The applications after which the floor applies, in the store most tests use. */
    protected static final int MIN_APPLICATIONS = 5;
    /** A time with microseconds. */
    protected static final Instant T0 = Instant.parse("2024-05-01T12:00:00.123456Z");

    private static final String CONDITION = "team availability is available and backlog_tasks >= 10";
    private static final Map<String, Object> FITTING = Map.of("team_availability", "available", "backlog_tasks", 14);
    private static final Map<String, Object> NOT_FITTING = Map.of("team_availability", "available", "backlog_tasks", 3);

    /** The store under test, fresh and empty for each test. */
    protected KnowledgeStore store;

    private final List<KnowledgeStore> opened = new ArrayList<>();

    /**
     * @param dimensions the size of description vectors
     * @param confidenceFloor below this confidence a strategy is deactivated...
     * @param minApplications ...once it has been applied at least this often
     * @return a new, empty store
     */
    protected abstract KnowledgeStore newKnowledgeStore(int dimensions, double confidenceFloor, int minApplications);

    /** Releases a store after each test; override when the backend holds resources. */
    protected void closeStore(KnowledgeStore s) {
    }

    @BeforeEach
    void createStore() {
        store = open(CONFIDENCE_FLOOR, MIN_APPLICATIONS);
    }

    @AfterEach
    void releaseStores() {
        opened.forEach(this::closeStore);
    }

    private KnowledgeStore open(double floor, int minApplications) {
        KnowledgeStore s = newKnowledgeStore(DIMENSIONS, floor, minApplications);
        opened.add(s);
        return s;
    }

    // ---- fixtures -----------------------------------------------------------------------------

    /**
     * @param description what the strategy says
     * @return a builder for an applicable-when-fitting strategy
     */
    protected static Strategy.Builder strategy(String description) {
        return Strategy.builder(description)
                .content(Map.of("advice", "create a sprint", "max_tasks", 8))
                .conditions(CONDITION)
                .createdAt(T0);
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
     * @return a unit vector with that similarity to {@code axis(0)}
     */
    protected static float[] atCosine(double cosine) {
        float[] v = new float[DIMENSIONS];
        v[0] = (float) cosine;
        v[1] = (float) Math.sqrt(1 - cosine * cosine);
        return v;
    }

    private UUID put(Strategy s) {
        return store.storeStrategy(s, null);
    }

    private static List<UUID> ids(List<Strategy> strategies) {
        return strategies.stream().map(Strategy::knowledgeId).collect(Collectors.toList());
    }

    private Strategy applied(UUID id, int successes, int failures) {
        Strategy last = store.getStrategy(id).orElseThrow();
        for (int i = 0; i < successes; i++) {
            last = store.recordApplication(id, UUID.randomUUID(), true);
        }
        for (int i = 0; i < failures; i++) {
            last = store.recordApplication(id, UUID.randomUUID(), false);
        }
        return last;
    }

    // ---- storing and reading ------------------------------------------------------------------

    @Test
    void storeStrategyAssignsAnIdAndReadsBackEveryField() {
        Strategy full = Strategy.builder("create a sprint when the team is free and the backlog is long")
                .knowledgeType("heuristic")
                .content(Map.of("conditions", List.of("team.size >= 3", "backlog_tasks > 10"),
                        "advice", Map.of("sprint_length_days", 14, "share", 0.75), "notes", List.of("a", "b")))
                .confidence(0.65)
                .supportingEpisodes(List.of(UUID.randomUUID(), UUID.randomUUID()))
                .contradictingEpisodes(List.of(UUID.randomUUID()))
                .timesApplied(4)
                .successCount(2)
                .failureCount(1)
                .successRate(0.5)
                .createdAt(T0)
                .lastValidated(Instant.parse("2024-05-02T00:00:00.000001Z"))
                .lastApplied(Instant.parse("2024-05-03T00:00:00.654321Z"))
                .createdBy("analyst")
                .active(true)
                .build();

        UUID id = store.storeStrategy(full, axis(0));

        assertThat(id).isNotNull();
        assertThat(store.getStrategy(id)).contains(full.toBuilder().knowledgeId(id).build());
    }

    @Test
    void storeStrategyKeepsTheIdItIsGiven() {
        UUID given = UUID.randomUUID();

        assertThat(put(strategy("s").knowledgeId(given).build())).isEqualTo(given);
        assertThat(store.getStrategy(given)).isPresent();
    }

    @Test
    void storeStrategyWithAStoredIdReplacesIt() {
        UUID id = put(strategy("first").build());

        Strategy second = strategy("second").knowledgeId(id).confidence(0.9).build();
        assertThat(store.storeStrategy(second, axis(1))).isEqualTo(id);

        assertThat(store.getStrategy(id)).contains(second);
        assertThat(store.listStrategies(new StrategyQuery(false, null, 0, 100))).hasSize(1);
    }

    @Test
    void getStrategyIsEmptyForAnUnknownId() {
        put(strategy("s").build());

        assertThat(store.getStrategy(UUID.randomUUID())).isEmpty();
    }

    @Test
    void storeStrategyRejectsADescriptionVectorOfTheWrongSizeAndWritesNothing() {
        UUID id = UUID.randomUUID();
        float[] wrong = new float[DIMENSIONS + 1];
        wrong[0] = 1;

        assertThatThrownBy(() -> store.storeStrategy(strategy("s").knowledgeId(id).build(), wrong))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessageContaining(String.valueOf(DIMENSIONS)).hasMessageContaining(String.valueOf(DIMENSIONS + 1));
        assertThat(store.getStrategy(id)).isEmpty();
    }

    @Test
    void storeStrategyRejectsAZeroOrNonFiniteVectorAndWritesNothing() {
        UUID id = UUID.randomUUID();
        float[] nan = axis(0);
        nan[2] = Float.NaN;

        assertThatThrownBy(() -> store.storeStrategy(strategy("s").knowledgeId(id).build(), new float[DIMENSIONS]))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("zero vector");
        assertThatThrownBy(() -> store.storeStrategy(strategy("s").knowledgeId(id).build(), nan))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("finite");
        assertThat(store.getStrategy(id)).isEmpty();
    }

    // ---- listing ------------------------------------------------------------------------------

    @Test
    void listStrategiesReturnsTheMostConfidentFirst() {
        UUID mid = put(strategy("mid").confidence(0.5).build());
        UUID high = put(strategy("high").confidence(0.9).build());
        UUID low = put(strategy("low").confidence(0.1).build());

        assertThat(ids(store.listStrategies(StrategyQuery.active()))).containsExactly(high, mid, low);
    }

    @Test
    void listStrategiesLeavesInactiveOutOnlyWhenAskedTo() {
        UUID active = put(strategy("on").confidence(0.6).build());
        UUID inactive = put(strategy("off").confidence(0.7).active(false).build());

        assertThat(ids(store.listStrategies(new StrategyQuery(true, null, 0, 100)))).containsExactly(active);
        assertThat(ids(store.listStrategies(new StrategyQuery(false, null, 0, 100)))).containsExactly(inactive, active);
    }

    @Test
    void listStrategiesFiltersByKnowledgeType() {
        UUID heuristic = put(strategy("h").knowledgeType("heuristic").build());
        put(strategy("s").build());

        assertThat(ids(store.listStrategies(new StrategyQuery(true, "heuristic", 0, 100)))).containsExactly(heuristic);
        assertThat(store.listStrategies(new StrategyQuery(true, "Heuristic", 0, 100))).isEmpty();
        assertThat(store.listStrategies(new StrategyQuery(true, null, 0, 100))).hasSize(2);
    }

    @Test
    void listStrategiesKeepsThoseAtLeastMinConfidence() {
        UUID exact = put(strategy("exact").confidence(0.6).build());
        UUID above = put(strategy("above").confidence(0.8).build());
        put(strategy("below").confidence(0.59).build());

        assertThat(ids(store.listStrategies(new StrategyQuery(true, null, 0.6, 100)))).containsExactly(above, exact);
    }

    @Test
    void listStrategiesReturnsAtMostLimit() {
        for (int i = 0; i < 5; i++) {
            put(strategy("s" + i).confidence(0.1 * i).build());
        }
        UUID best = put(strategy("best").confidence(0.95).build());

        List<Strategy> two = store.listStrategies(new StrategyQuery(true, null, 0, 2));

        assertThat(two).hasSize(2);
        assertThat(two.get(0).knowledgeId()).isEqualTo(best);
    }

    @Test
    void listStrategiesOfAnEmptyStoreIsEmpty() {
        assertThat(store.listStrategies(StrategyQuery.active())).isEmpty();
    }

    // ---- deactivate and delete ----------------------------------------------------------------

    @Test
    void deactivateStrategySaysWhetherItWasActive() {
        UUID id = put(strategy("s").build());

        assertThat(store.deactivateStrategy(id)).isTrue();
        assertThat(store.getStrategy(id).orElseThrow().active()).isFalse();
        assertThat(store.deactivateStrategy(id)).isFalse();
        assertThat(store.deactivateStrategy(UUID.randomUUID())).isFalse();
        assertThat(store.listStrategies(StrategyQuery.active())).isEmpty();
    }

    @Test
    void deleteStrategySaysWhetherItExisted() {
        UUID id = put(strategy("s").build());
        UUID kept = put(strategy("kept").build());

        assertThat(store.deleteStrategy(id)).isTrue();
        assertThat(store.getStrategy(id)).isEmpty();
        assertThat(store.deleteStrategy(id)).isFalse();
        assertThat(store.deleteStrategy(UUID.randomUUID())).isFalse();
        assertThat(ids(store.listStrategies(StrategyQuery.active()))).containsExactly(kept);
    }

    // ---- applicable strategies ----------------------------------------------------------------

    @Test
    void applicableStrategiesAreThoseWhoseConditionsHold() {
        UUID fits = put(strategy("fits").build());
        put(strategy("needs a big team").content(Map.of()).conditions("team.size > 10").build());

        assertThat(ids(store.getApplicableStrategies(FITTING, null, 0, 10))).containsExactly(fits);
        assertThat(store.getApplicableStrategies(NOT_FITTING, null, 0, 10)).isEmpty();
    }

    @Test
    void strategyWithoutConditionsAppliesEverywhere() {
        UUID everywhere = put(Strategy.builder("always").content(Map.of("advice", "rest")).build());

        assertThat(ids(store.getApplicableStrategies(Map.of(), null, 0, 10))).containsExactly(everywhere);
        assertThat(ids(store.getApplicableStrategies(NOT_FITTING, null, 0, 10))).containsExactly(everywhere);
    }

    @Test
    void inactiveStrategiesAreNeverApplicable() {
        put(strategy("off").active(false).build());
        UUID on = put(strategy("on").build());
        UUID switchedOff = put(strategy("switched off").build());
        store.deactivateStrategy(switchedOff);

        assertThat(ids(store.getApplicableStrategies(FITTING, null, 0, 10))).containsExactly(on);
    }

    @Test
    void applicableStrategiesAreAtLeastMinConfidence() {
        UUID exact = put(strategy("exact").confidence(0.7).build());
        put(strategy("weak").confidence(0.69).build());

        assertThat(ids(store.getApplicableStrategies(FITTING, null, 0.7, 10))).containsExactly(exact);
    }

    @Test
    void applicableStrategiesAreRankedByConfidenceBeforeCloseness() {
        UUID confidentButFar = store.storeStrategy(strategy("far").confidence(0.9).build(), axis(1));
        UUID closeButUnsure = store.storeStrategy(strategy("close").confidence(0.6).build(), axis(0));

        assertThat(ids(store.getApplicableStrategies(FITTING, axis(0), 0, 10)))
                .containsExactly(confidentButFar, closeButUnsure);
    }

    @Test
    void equallyConfidentStrategiesAreRankedByClosenessToTheContext() {
        UUID far = store.storeStrategy(strategy("far").build(), atCosine(-0.5));
        UUID without = store.storeStrategy(strategy("without vector").build(), null);
        UUID closest = store.storeStrategy(strategy("closest").build(), atCosine(0.95));
        UUID middle = store.storeStrategy(strategy("middle").build(), atCosine(0.3));

        assertThat(ids(store.getApplicableStrategies(FITTING, axis(0), 0, 10)))
                .containsExactly(closest, middle, far, without);
    }

    @Test
    void withoutContextVectorApplicableStrategiesAreRankedByConfidence() {
        UUID low = store.storeStrategy(strategy("low").confidence(0.3).build(), axis(0));
        UUID high = store.storeStrategy(strategy("high").confidence(0.8).build(), axis(1));

        assertThat(ids(store.getApplicableStrategies(FITTING, null, 0, 10))).containsExactly(high, low);
    }

    @Test
    void applicableStrategiesAreAtMostLimit() {
        for (int i = 1; i <= 5; i++) {
            put(strategy("s" + i).confidence(0.1 * i).build());
        }

        List<Strategy> two = store.getApplicableStrategies(FITTING, null, 0, 2);

        assertThat(two).extracting(Strategy::description).containsExactly("s5", "s4");
    }

    @Test
    void getApplicableStrategiesRejectsBadInput() {
        float[] wrong = new float[DIMENSIONS + 2];
        wrong[0] = 1;

        assertThatThrownBy(() -> store.getApplicableStrategies(FITTING, wrong, 0, 10))
                .isInstanceOf(DimensionMismatchException.class);
        assertThatThrownBy(() -> store.getApplicableStrategies(FITTING, new float[DIMENSIONS], 0, 10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("zero vector");
        assertThatThrownBy(() -> store.getApplicableStrategies(FITTING, null, 1.5, 10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minConfidence");
        assertThatThrownBy(() -> store.getApplicableStrategies(FITTING, null, Double.NaN, 10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minConfidence");
        assertThatThrownBy(() -> store.getApplicableStrategies(FITTING, null, 0, 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> store.getApplicableStrategies(FITTING, null, 0, AgentMemoryStore.MAX_LIMIT + 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> store.getApplicableStrategies(Map.of("when", new Object()), null, 0, 10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("context.when");
    }

    // ---- evidence -----------------------------------------------------------------------------

    @Test
    void recordingASuccessMovesEveryEvidenceFieldTogether() {
        UUID id = put(strategy("s").confidence(0.5).build());
        UUID episode = UUID.randomUUID();

        Strategy after = store.recordApplication(id, episode, true);

        assertThat(after.timesApplied()).isEqualTo(1);
        assertThat(after.successCount()).isEqualTo(1);
        assertThat(after.failureCount()).isZero();
        assertThat(after.successRate()).isEqualTo(1.0);
        assertThat(after.confidence()).isCloseTo(Evidence.confidence(1, 1, 0.5), within(1e-9));
        assertThat(after.supportingEpisodes()).containsExactly(episode);
        assertThat(after.contradictingEpisodes()).isEmpty();
        assertThat(after.lastApplied()).isNotNull();
        assertThat(after.lastValidated()).isNotNull();
        assertThat(store.getStrategy(id)).contains(after);
    }

    @Test
    void recordingAFailureAddsTheEpisodeToTheContradictingOnes() {
        UUID id = put(strategy("s").build());
        UUID episode = UUID.randomUUID();

        Strategy after = store.recordApplication(id, episode, false);

        assertThat(after.timesApplied()).isEqualTo(1);
        assertThat(after.successCount()).isZero();
        assertThat(after.failureCount()).isEqualTo(1);
        assertThat(after.successRate()).isEqualTo(0.0);
        assertThat(after.contradictingEpisodes()).containsExactly(episode);
        assertThat(after.supportingEpisodes()).isEmpty();
    }

    @Test
    void confidenceFollowsTheEvidence() {
        UUID id = put(strategy("s").build());

        Strategy after = applied(id, 7, 3);

        assertThat(after.timesApplied()).isEqualTo(10);
        assertThat(after.successRate()).isCloseTo(0.7, within(1e-9));
        assertThat(after.confidence()).isCloseTo(Evidence.confidence(7, 10, 0.5), within(1e-9));
        assertThat(after.supportingEpisodes()).hasSize(7);
        assertThat(after.contradictingEpisodes()).hasSize(3);
    }

    @Test
    void threeSuccessesOutOfThreeAreLessConvincingThanNinetyOutOfAHundred() {
        UUID few = put(strategy("few").build());
        UUID many = put(strategy("many").build());

        Strategy threeOfThree = applied(few, 3, 0);
        Strategy ninetyOfHundred = applied(many, 90, 10);

        assertThat(threeOfThree.successRate()).isGreaterThan(ninetyOfHundred.successRate());
        assertThat(threeOfThree.confidence()).isLessThan(ninetyOfHundred.confidence());
    }

    @Test
    void lastAppliedMovesForwardWithEachApplication() {
        UUID id = put(strategy("s").build());

        Instant first = store.recordApplication(id, UUID.randomUUID(), true).lastApplied();
        Instant second = store.recordApplication(id, UUID.randomUUID(), true).lastApplied();

        assertThat(second).isAfterOrEqualTo(first);
    }

    @Test
    void recordApplicationOfAnUnknownStrategyThrowsNotFound() {
        UUID unknown = UUID.randomUUID();

        assertThatThrownBy(() -> store.recordApplication(unknown, UUID.randomUUID(), true))
                .isInstanceOf(NotFoundException.class).hasMessageContaining(unknown.toString());
        assertThat(store.getStrategy(unknown)).isEmpty();
    }

    @Test
    void strategyBelowTheFloorIsDeactivatedOnlyAfterTheMinimumApplications() {
        UUID id = put(strategy("bad idea").build());

        Strategy afterFour = applied(id, 0, MIN_APPLICATIONS - 1);
        assertThat(afterFour.confidence()).isLessThan(CONFIDENCE_FLOOR);
        assertThat(afterFour.active()).isTrue();

        Strategy afterFive = store.recordApplication(id, UUID.randomUUID(), false);
        assertThat(afterFive.active()).isFalse();
        assertThat(store.getStrategy(id).orElseThrow().active()).isFalse();
        assertThat(store.getApplicableStrategies(FITTING, null, 0, 10)).isEmpty();
    }

    @Test
    void strategyAboveTheFloorStaysActive() {
        UUID id = put(strategy("good idea").build());

        Strategy after = applied(id, MIN_APPLICATIONS, 0);

        assertThat(after.confidence()).isGreaterThanOrEqualTo(CONFIDENCE_FLOOR);
        assertThat(after.active()).isTrue();
    }

    @Test
    void floorAndMinimumApplicationsAreThoseTheStoreWasCreatedWith() {
        KnowledgeStore strict = open(0.7, 2);
        UUID id = strict.storeStrategy(strategy("s").build(), null);

        assertThat(strict.recordApplication(id, UUID.randomUUID(), true).active()).isTrue();
        Strategy afterTwo = strict.recordApplication(id, UUID.randomUUID(), true);

        assertThat(afterTwo.confidence()).isLessThan(0.7);
        assertThat(afterTwo.active()).isFalse();
    }

    @Test
    void concurrentApplicationsLoseNoCount() throws Exception {
        UUID id = put(strategy("busy").build());
        int threads = 50;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                boolean success = t % 2 == 0;
                futures.add(pool.submit(() -> {
                    start.await();
                    return store.recordApplication(id, UUID.randomUUID(), success);
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Strategy after = store.getStrategy(id).orElseThrow();
        assertThat(after.timesApplied()).isEqualTo(threads);
        assertThat(after.successCount()).isEqualTo(threads / 2);
        assertThat(after.failureCount()).isEqualTo(threads / 2);
        assertThat(after.supportingEpisodes()).hasSize(threads / 2).doesNotHaveDuplicates();
        assertThat(after.contradictingEpisodes()).hasSize(threads / 2).doesNotHaveDuplicates();
        assertThat(after.confidence()).isCloseTo(Evidence.confidence(threads / 2, threads, 0.5), within(1e-9));
    }
}
