package dev.agentmemory.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelValidationTest {

    private static Episode.Builder episode() {
        return Episode.builder("acme").perception(Map.of()).reasoning(Map.of()).action(Map.of());
    }

    private static Map<String, Object> nestedMaps(int depth) {
        Map<String, Object> m = Map.of("leaf", 1);
        for (int i = 1; i < depth; i++) {
            m = Map.of("k", m);
        }
        return m;
    }

    private static Object nestedLists(int depth) {
        Object v = 1;
        for (int i = 0; i < depth; i++) {
            v = List.of(v);
        }
        return v;
    }

    // ---- Episode ------------------------------------------------------------------------------

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "\t\n"})
    void blankProjectIdIsRejected(String projectId) {
        assertThatThrownBy(() -> episode().projectId(projectId).build())
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).field()).isEqualTo("projectId"))
                .hasMessageContaining("blank");
    }

    @Test
    void projectIdLongerThan255CharactersIsRejected() {
        assertThat(episode().projectId("p".repeat(255)).build().projectId()).hasSize(255);
        assertThatThrownBy(() -> episode().projectId("p".repeat(256)).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("256");
    }

    @ParameterizedTest
    @ValueSource(doubles = {-0.001, 1.001, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void outcomeQualityOutsideZeroToOneIsRejected(double quality) {
        assertThatThrownBy(() -> episode().outcomeQuality(quality).build())
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("outcomeQuality: ").hasMessageContaining("[0,1]");
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.5, 1.0})
    void outcomeQualityWithinZeroToOneIsAccepted(double quality) {
        assertThat(episode().outcomeQuality(quality).build().outcomeQuality()).isEqualTo(quality);
    }

    @Test
    void missingPerceptionReasoningOrActionIsRejected() {
        assertThatThrownBy(() -> Episode.builder("acme").reasoning(Map.of()).action(Map.of()).build())
                .isInstanceOf(InvalidInputException.class).hasMessage("perception: is required");
        assertThatThrownBy(() -> Episode.builder("acme").perception(Map.of()).action(Map.of()).build())
                .isInstanceOf(InvalidInputException.class).hasMessage("reasoning: is required");
        assertThatThrownBy(() -> Episode.builder("acme").perception(Map.of()).reasoning(Map.of()).build())
                .isInstanceOf(InvalidInputException.class).hasMessage("action: is required");
    }

    @Test
    void valueThatIsNotJsonLikeIsRejectedNamingItsPath() {
        Map<String, Object> team = Map.of("members", List.of("ana", Instant.EPOCH));

        assertThatThrownBy(() -> episode().perception(Map.of("team", team)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("perception.team.members[1]").hasMessageContaining("java.time.Instant");
        assertThatThrownBy(() -> episode().action(Map.of("id", UUID.randomUUID())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("action.id");
        assertThatThrownBy(() -> episode().reasoning(Map.of("arr", new int[] {1})))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("reasoning.arr");
        assertThatThrownBy(() -> episode().outcome(Map.of("opt", Optional.empty())))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("outcome.opt");
    }

    @Test
    void keyThatIsNotAStringIsRejected() {
        Map<Object, Object> bad = new HashMap<>();
        bad.put(1, "one");

        assertThatThrownBy(() -> episode().perception(Map.of("inner", bad)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("perception.inner").hasMessageContaining("key that is not a string");
    }

    @ParameterizedTest
    @ValueSource(doubles = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY})
    void nonFiniteNumberInAMapIsRejected(double bad) {
        assertThatThrownBy(() -> episode().perception(Map.of("x", List.of(1, bad))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("perception.x[1]")
                .hasMessageContaining("finite");
        assertThatThrownBy(() -> episode().perception(Map.of("f", (float) bad)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("perception.f");
    }

    @Test
    void timesOutsideWhatPostgresStoresAreRejectedOnEveryModel() {
        assertThatThrownBy(() -> episode().timestamp(java.time.Instant.MIN).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("timestamp").hasMessageContaining("outside");
        assertThatThrownBy(() -> episode().timestamp(Episode.LATEST.plusSeconds(1)).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> Strategy.builder("s").createdAt(java.time.Instant.MAX).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("createdAt");
        assertThat(episode().timestamp(Episode.EARLIEST).build().timestamp()).isEqualTo(Episode.EARLIEST);
    }

    @Test
    void numbersBeyondWhatNumericHoldsAreRejectedAndWholeBigDecimalsBecomeWholeNumbers() {
        assertThatThrownBy(() -> episode().perception(Map.of("n", new java.math.BigDecimal("1E+999999999"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("perception.n")
                .hasMessageContaining("digits before the decimal point");
        assertThatThrownBy(() -> episode().perception(Map.of("n", new java.math.BigDecimal("1E-20000"))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("digits after the decimal point");
        java.math.BigDecimal whole = new java.math.BigDecimal(new java.math.BigInteger("-8518663772160341"), -78);
        assertThat(episode().perception(Map.of("n", whole)).build().perception().get("n"))
                .isEqualTo(whole.toBigIntegerExact());
    }

    @Test
    void negativeZeroIsStoredAsZero() {
        assertThat(episode().perception(Map.of("z", -0.0, "f", -0.0f)).build().perception())
                .containsEntry("z", 0.0).containsEntry("f", 0.0);
    }

    @Test
    void unpairedSurrogatesAreRejectedAndPairedOnesKept() {
        assertThatThrownBy(() -> episode().perception(Map.of("k", "a\uD800b")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("perception.k")
                .hasMessageContaining("unpaired surrogate (U+D800) at index 1");
        assertThatThrownBy(() -> episode().perception(Map.of("\uDC00", "v")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("U+DC00");
        assertThatThrownBy(() -> episode().projectId("p\uDBFF").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("projectId");
        assertThat(episode().perception(Map.of("emoji", "\uD83D\uDE00")).build().perception())
                .containsEntry("emoji", "\uD83D\uDE00");
    }

    @Test
    void nulCharacterIsRejectedWhereverItHides() {
        assertThatThrownBy(() -> episode().perception(Map.of("k", "a\0b")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("perception.k").hasMessageContaining("NUL");
        assertThatThrownBy(() -> episode().perception(Map.of("k\0", "v")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("NUL");
        assertThatThrownBy(() -> episode().projectId("a\0b").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("projectId");
        assertThatThrownBy(() -> episode().sprintId("s\0").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("sprintId");
        assertThatThrownBy(() -> episode().agentVersion("1\0").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("agentVersion");
        assertThatThrownBy(() -> Strategy.builder("desc\0").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("description");
    }

    @Test
    void nestingDeeperThanTheMaximumIsRejected() {
        assertThat(episode().perception(nestedMaps(JsonValues.MAX_DEPTH)).build()).isNotNull();
        assertThatThrownBy(() -> episode().perception(nestedMaps(JsonValues.MAX_DEPTH + 1)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("nested deeper than " + JsonValues.MAX_DEPTH);

        assertThat(episode().perception(Map.of("l", nestedLists(JsonValues.MAX_DEPTH - 1))).build()).isNotNull();
        assertThatThrownBy(() -> episode().perception(Map.of("l", nestedLists(JsonValues.MAX_DEPTH))))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("nested deeper");
    }

    @Test
    void blankDefaultedTextIsRejectedAndNullGetsTheDefault() {
        Episode e = episode().agentVersion(null).controlMode(null).decisionSource(null).build();

        assertThat(e.agentVersion()).isEqualTo("1.0.0");
        assertThat(e.controlMode()).isEqualTo("rule_based_only");
        assertThat(e.decisionSource()).isEqualTo("rule_based_only");
        assertThatThrownBy(() -> episode().controlMode(" ").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("controlMode");
    }

    @Test
    void mapsAreCopiedDeeplyAndCannotBeChanged() {
        List<Object> members = new ArrayList<>(List.of("ana"));
        Map<String, Object> team = new LinkedHashMap<>();
        team.put("members", members);
        Map<String, Object> perception = new LinkedHashMap<>();
        perception.put("team", team);

        Episode e = episode().perception(perception).build();
        members.add("bo");
        team.put("size", 2);

        assertThat(e.perception()).isEqualTo(Map.of("team", Map.of("members", List.of("ana"))));
        assertThatThrownBy(() -> e.perception().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
        @SuppressWarnings("unchecked")
        List<Object> copied = (List<Object>) ((Map<String, Object>) e.perception().get("team")).get("members");
        assertThatThrownBy(() -> copied.add("cy")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void numbersAreKeptInTheFormAJsonParserGivesBack() {
        Map<String, Object> numbers = new LinkedHashMap<>();
        numbers.put("short", (short) 3);
        numbers.put("small long", 5L);
        numbers.put("big long", 5_000_000_000L);
        numbers.put("small big integer", BigInteger.valueOf(9));
        numbers.put("float", 2.1f);
        numbers.put("exact decimal", new BigDecimal("2.5"));
        numbers.put("inexact decimal", new BigDecimal("0.1000000000000000000001"));

        Map<String, Object> p = episode().perception(numbers).build().perception();

        assertThat(p.get("short")).isEqualTo(3);
        assertThat(p.get("small long")).isEqualTo(5);
        assertThat(p.get("big long")).isEqualTo(5_000_000_000L);
        assertThat(p.get("small big integer")).isEqualTo(9);
        assertThat(p.get("float")).isEqualTo(2.1);
        assertThat(p.get("exact decimal")).isEqualTo(2.5);
        assertThat(p.get("inexact decimal")).isEqualTo(new BigDecimal("0.1000000000000000000001"));
    }

    @Test
    void timesAreTruncatedToTheMicrosecond() {
        Episode e = episode().timestamp(Instant.parse("2024-01-01T00:00:00.123456789Z"))
                .outcomeRecordedAt(Instant.parse("2024-01-01T00:00:00.999999999Z")).build();

        assertThat(e.timestamp()).isEqualTo(Instant.parse("2024-01-01T00:00:00.123456Z"));
        assertThat(e.outcomeRecordedAt()).isEqualTo(Instant.parse("2024-01-01T00:00:00.999999Z"));
    }

    @Test
    void nonFiniteSimilarityIsRejected() {
        assertThatThrownBy(() -> episode().similarity(Double.NaN).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("similarity");
    }

    // ---- summary ------------------------------------------------------------------------------

    @Test
    void summarySaysSprintCreatedWhenTheActionCreatedASprint() {
        Episode e = episode().timestamp(Instant.parse("2024-05-01T12:00:00.123456Z"))
                .action(Map.of("sprint_created", true, "tasks_assigned", 4)).build();

        assertThat(e.summary()).isEqualTo("Episode acme: sprint_created at 2024-05-01T12:00:00.123456Z");
    }

    @Test
    void summarySaysTasksAssignedOtherwise() {
        Instant t = Instant.parse("2024-05-01T12:00:00Z");

        assertThat(episode().timestamp(t).action(Map.of("sprint_created", false)).build().summary())
                .isEqualTo("Episode acme: tasks_assigned at 2024-05-01T12:00:00Z");
        assertThat(episode().timestamp(t).action(Map.of("tasks_assigned", 3)).build().summary())
                .isEqualTo("Episode acme: tasks_assigned at 2024-05-01T12:00:00Z");
    }

    // ---- Strategy, session, filters -----------------------------------------------------------

    @Test
    void strategyWithAnInvalidConditionCannotBeBuilt() {
        assertThatThrownBy(() -> Strategy.builder("s").conditions("backlog >= lots").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("position");
        assertThatThrownBy(() -> Strategy.builder("s").content(Map.of("conditions", 5)).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("content.conditions");
        assertThatThrownBy(() -> Strategy.builder("s").content(Map.of("conditions", List.of("a exists", 3))).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("content.conditions");
    }

    @Test
    void strategyKeepsItsDefaults() {
        Strategy s = Strategy.builder("s").build();

        assertThat(s.knowledgeType()).isEqualTo("strategy");
        assertThat(s.confidence()).isEqualTo(0.5);
        assertThat(s.createdBy()).isEqualTo("system");
        assertThat(s.active()).isTrue();
        assertThat(s.successRate()).isNull();
        assertThat(s.supportingEpisodes()).isEmpty();
        assertThat(s.appliesTo(Map.of())).isTrue();
    }

    @Test
    void strategyWithImpossibleEvidenceIsRejected() {
        assertThatThrownBy(() -> Strategy.builder("s").confidence(1.2).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("confidence");
        assertThatThrownBy(() -> Strategy.builder("s").timesApplied(-1).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> Strategy.builder("s").timesApplied(2).successCount(2).failureCount(1).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("timesApplied");
        assertThatThrownBy(() -> Strategy.builder("s").successRate(Double.NaN).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("successRate");
        List<UUID> withNull = new ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> Strategy.builder("s").supportingEpisodes(withNull).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("supportingEpisodes");
    }

    @Test
    void sessionWithANegativeVersionOrNoExpiryIsRejected() {
        Instant now = Instant.parse("2024-01-01T00:00:00Z");

        assertThatThrownBy(() -> new WorkingMemorySession(null, "acme", Map.of(), now, now, now, -1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("version");
        assertThatThrownBy(() -> new WorkingMemorySession(null, "acme", Map.of(), now, now, null, 1))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("expiresAt");
        assertThat(new WorkingMemorySession(null, "acme", Map.of(), now, null, now.plusSeconds(1), 1).isExpired(now.plusSeconds(1)))
                .isTrue();
    }

    @Test
    void filterAndQueryCheckTheirFields() {
        Instant t = Instant.parse("2024-01-01T00:00:00Z");

        assertThatThrownBy(() -> EpisodeFilter.builder().from(t).to(t).build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("from");
        assertThatThrownBy(() -> EpisodeFilter.builder().excludeProjectId(" ").build())
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("projectId");
        assertThatThrownBy(() -> new StrategyQuery(true, null, 0, 0))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> new StrategyQuery(true, null, -0.5, 10))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("minConfidence");
        assertThat(EpisodeFilter.project(null)).isEqualTo(EpisodeFilter.ALL);
    }

    @Test
    void limitsOutsideOneToMaximumAreRejected() {
        assertThat(Limits.check("limit", 1)).isEqualTo(1);
        assertThat(Limits.check("limit", AgentMemoryStore.MAX_LIMIT)).isEqualTo(AgentMemoryStore.MAX_LIMIT);
        assertThatThrownBy(() -> Limits.check("limit", 0)).hasMessage("limit: 0 must be at least 1");
        assertThatThrownBy(() -> Limits.check("limit", AgentMemoryStore.MAX_LIMIT + 1))
                .hasMessage("limit: 10001 exceeds the maximum of 10000");
    }

    @Test
    void vectorsAreCheckedAndCopied() {
        float[] v = {3, 4};
        float[] copy = Vectors.checkedCopy("embedding", v, 2);
        v[0] = 0;

        assertThat(copy).containsExactly(3, 4);
        assertThat(Vectors.norm(copy)).isEqualTo(5.0);
        assertThat(Vectors.normalized(copy)).containsExactly(0.6f, 0.8f);
        assertThat(Vectors.cosineSimilarity(new float[] {1, 0}, new float[] {-2, 0})).isEqualTo(-1.0);
        assertThatThrownBy(() -> Vectors.checkedCopy("embedding", new float[] {1, 2, 3}, 2))
                .isInstanceOf(DimensionMismatchException.class)
                .hasMessage("embedding: vector has 3 dimensions, the store was created for 2");
        assertThatThrownBy(() -> Vectors.checkedCopy("embedding", new float[2], 2))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("zero vector");
        assertThatThrownBy(() -> Vectors.checkedCopy("embedding", new float[] {1, Float.NaN}, 2))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("component 1 is NaN");
    }
}
