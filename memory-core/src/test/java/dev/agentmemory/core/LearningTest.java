package dev.agentmemory.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentmemory.api.Advice;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.core.learning.Consolidation;
import java.nio.charset.StandardCharsets;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** consolidate and advise on the in-memory store with the real local model. */
class LearningTest {

    private static final LocalModel MODEL = new LocalModel();

    private AgentMemorySystem memory;

    @AfterEach
    void close() {
        if (memory != null) {
            memory.close();
        }
    }

    private AgentMemorySystem open() {
        memory = AgentMemory.builder().embedder(MODEL).build();
        return memory;
    }

    /** A support desk: escalating is right at a load of 70 or more or for a gold customer. */
    static Map<String, Object> situation(Random r) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("load", r.nextInt(101));
        p.put("customer", Map.of("tier", List.of("gold", "silver", "bronze").get(r.nextInt(3))));
        p.put("queue", r.nextInt(30));
        return p;
    }

    @SuppressWarnings("unchecked")
    static boolean escalateIsRight(Map<String, Object> p) {
        return (Integer) p.get("load") >= 70 || "gold".equals(((Map<String, Object>) p.get("customer")).get("tier"));
    }

    static List<Episode> desk(String project, long seed, int n, boolean random) {
        Random r = new Random(seed);
        List<Episode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> p = situation(r);
            boolean escalate = r.nextBoolean();
            double q = random ? r.nextDouble() : (escalate == escalateIsRight(p) ? 0.8 : 0.3) + 0.1 * r.nextGaussian();
            int minutes = escalate ? 30 + r.nextInt(30) : 5 + r.nextInt(20);
            out.add(Episode.builder(project)
                    .episodeId(UUID.nameUUIDFromBytes((project + seed + "/" + i).getBytes(StandardCharsets.UTF_8)))
                    .timestamp(Instant.parse("2026-01-01T00:00:00Z").plusSeconds(60L * i + seed * 1_000_000))
                    .perception(p)
                    .reasoning(Map.of("summary", "case " + i))
                    .action(Map.of("escalate", escalate, "minutes", minutes, "ticket", "T-" + seed + "-" + i))
                    .outcome(Map.of("resolved", q >= 0.5))
                    .outcomeQuality(Math.max(0, Math.min(1, Math.round(q * 1000) / 1000.0)))
                    .build());
        }
        return out;
    }

    private void store(List<Episode> episodes) {
        memory.episodes().storeEpisodes(episodes, Arrays.asList(new float[episodes.size()][]));
    }

    private List<Strategy> stored() {
        return memory.knowledge().listStrategies(new StrategyQuery(false, null, 0, 10_000));
    }

    @Test
    void consolidationStoresStrategiesThatTheAgentGetsWhereTheirConditionsHold() {
        open();
        store(desk("desk", 1, 1500, false));

        List<Strategy> learned = memory.consolidate("desk");

        assertThat(learned).isNotEmpty();
        assertThat(learned).allSatisfy(s -> {
            assertThat(s.createdBy()).isEqualTo("consolidation");
            assertThat(s.active()).isTrue();
            assertThat(s.content()).containsKeys("conditions", "recommendation");
            assertThat(s.supportingEpisodes()).isNotEmpty();
            assertThat(s.confidence()).isBetween(0.5, 1.0);
        });
        Map<String, Object> gold = Map.of("load", 20, "customer", Map.of("tier", "gold"), "queue", 3);
        assertThat(escalation(memory.getLearnedStrategies(gold, 0.5))).containsExactly(true);
        Map<String, Object> quiet = Map.of("load", 20, "customer", Map.of("tier", "bronze"), "queue", 3);
        assertThat(escalation(memory.getLearnedStrategies(quiet, 0.5))).containsExactly(false);
        Map<String, Object> busy = Map.of("load", 95, "customer", Map.of("tier", "silver"), "queue", 3);
        assertThat(escalation(memory.getLearnedStrategies(busy, 0.5))).containsExactly(true);
    }

    // What the applicable strategies recommend for the escalate field (minutes go with it, and
    // are learned too).
    private static List<Object> escalation(List<Strategy> strategies) {
        return strategies.stream()
                .map(s -> ((Map<?, ?>) s.content().get("recommendation")).get("escalate"))
                .filter(v -> v != null)
                .map(v -> (Object) v)
                .distinct()
                .toList();
    }

    @Test
    void aSecondRunRefreshesWhatTheFirstLearnedAndAddsNoTwin() {
        open();
        store(desk("desk", 2, 1200, false));
        List<Strategy> first = memory.consolidate("desk");
        int storedAfterFirst = stored().size();

        List<Strategy> second = memory.consolidate("desk");
        assertThat(second).extracting(Strategy::knowledgeId).containsExactlyElementsOf(
                first.stream().map(Strategy::knowledgeId).toList());
        assertThat(stored()).hasSize(storedAfterFirst);
        assertThat(second.get(0).lastValidated()).isAfterOrEqualTo(first.get(0).lastValidated());

        // More of the same world: the same rules, refreshed, still one strategy each.
        store(desk("desk", 3, 800, false));
        memory.consolidate("desk");
        Set<String> rules = new HashSet<>();
        for (Strategy s : stored()) {
            assertThat(rules.add(s.content().get("conditions") + " -> " + s.content().get("recommendation")))
                    .as("twin of " + s.description()).isTrue();
        }
    }

    @Test
    void whatTheEvidenceNoLongerSupportsIsDeactivated() {
        open();
        List<Episode> world = desk("desk", 4, 1200, false);
        store(world);
        List<Strategy> learned = memory.consolidate("desk");
        assertThat(learned).isNotEmpty();

        for (Episode e : world) {
            memory.episodes().deleteEpisode(e.episodeId());
        }
        store(desk("desk", 5, 1200, true));
        Consolidation.Run run = memory.consolidation("desk");

        assertThat(run.strategies()).isEmpty();
        assertThat(run.deactivated()).isEqualTo(learned.size());
        assertThat(stored()).hasSize(learned.size()).allSatisfy(s -> assertThat(s.active()).isFalse());
        assertThat(memory.getLearnedStrategies(Map.of("load", 90, "customer", Map.of("tier", "gold")), 0)).isEmpty();
    }

    @Test
    void everyProjectIsOneScopeAndEachProjectItsOwn() {
        open();
        store(desk("north", 6, 700, false));
        store(desk("south", 7, 700, false));

        List<Strategy> all = memory.consolidate(null);
        List<Strategy> north = memory.consolidate("north");

        assertThat(all).isNotEmpty().allSatisfy(s -> assertThat(s.content().get("scope")).isEqualTo("*"));
        assertThat(north).isNotEmpty().allSatisfy(s -> assertThat(s.content().get("scope")).isEqualTo("north"));
        // Consolidating one project leaves the other scope's strategies active.
        assertThat(memory.consolidate(null)).extracting(Strategy::knowledgeId)
                .containsExactlyElementsOf(all.stream().map(Strategy::knowledgeId).toList());
    }

    @Test
    void anEmptyMemoryLearnsNothingAndABlankProjectIsRefused() {
        open();
        assertThat(memory.consolidate("nobody")).isEmpty();
        assertThat(memory.consolidate(null)).isEmpty();
        assertThatThrownBy(() -> memory.consolidate(" ")).isInstanceOf(InvalidInputException.class);
    }

    @Test
    void adviceGroupsTheDecisionsOfSimilarSituationsAndBinsAVaryingNumber() {
        open();
        memory.rememberDecisions(desk("desk", 8, 300, false));

        Map<String, Object> gold = Map.of("load", 85, "customer", Map.of("tier", "gold"), "queue", 10);
        List<Advice> advice = memory.advise(gold, "desk", 5);

        assertThat(advice).isNotEmpty();
        Advice best = advice.get(0);
        assertThat(best.action()).containsEntry("escalate", true).containsKey("minutes").doesNotContainKey("ticket");
        assertThat(best.expectedQuality()).isGreaterThan(0.6);
        assertThat(best.confidence()).isLessThan(best.expectedQuality()).isGreaterThan(0.4);
        assertThat(best.evidence()).isEqualTo(best.episodeIds().size());
        // minutes take 50 values; binned, the advice is a handful of groups, not dozens.
        assertThat(memory.advise(gold, "desk", 100)).hasSizeLessThanOrEqualTo(10);
        for (int i = 1; i < advice.size(); i++) {
            assertThat(advice.get(i).confidence()).isLessThanOrEqualTo(advice.get(i - 1).confidence());
        }
        assertThat(memory.advise(gold, "nobody", 3)).isEmpty();
        assertThatThrownBy(() -> memory.advise(gold, "desk", 0)).isInstanceOf(InvalidInputException.class);
    }
}
