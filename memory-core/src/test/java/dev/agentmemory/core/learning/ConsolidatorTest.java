package dev.agentmemory.core.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Condition;
import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConsolidatorTest {

    private final Consolidator consolidator = new Consolidator(LearningSettings.ofDefaults());

    @Test
    void hiddenRulesOnANumberAndANestedCategoryAreFoundWithConditionsThatParseAndHold() {
        List<Episode> episodes = Worlds.desk(1, 2000, 0.1);
        Consolidator.Result result = consolidator.learn(episodes);

        assertThat(result.rules()).isNotEmpty();
        // Every rule's recommendation is right wherever its conditions hold, judged by the hidden rule.
        Random r = new Random(7);
        List<Map<String, Object>> probes = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            probes.add(Worlds.situation(r));
        }
        for (Consolidator.Rule rule : result.rules()) {
            assertThat(rule.field()).isEqualTo("escalate");
            Strategy s = Strategy.builder("t").content(Map.of("conditions", rule.conditions())).build();
            for (Map<String, Object> p : probes) {
                if (s.appliesTo(p)) {
                    assertThat(rule.value()).as(rule.conditionText() + " at " + p).isEqualTo(Worlds.escalateIsRight(p));
                }
            }
        }
        // The rules together cover the situations where escalating is right.
        int right = 0;
        int covered = 0;
        for (Map<String, Object> p : probes) {
            if (Worlds.escalateIsRight(p)) {
                right++;
                for (Consolidator.Rule rule : result.rules()) {
                    if (Boolean.TRUE.equals(rule.value()) && applies(rule, p)) {
                        covered++;
                        break;
                    }
                }
            }
        }
        assertThat(covered).isGreaterThan(right * 9 / 10);
        assertThat(result.rules()).anySatisfy(rule -> assertThat(rule.conditions()).contains("load >= 70"));
        assertThat(result.rules()).anySatisfy(rule -> assertThat(rule.conditions()).contains("customer.tier is 'gold'"));
    }

    @Test
    void aRulesRegionIsExactlyWhereStrategyAppliesToHolds() {
        List<Episode> episodes = Worlds.desk(2, 1500, 0.1);
        for (Consolidator.Rule rule : consolidator.learn(episodes).rules()) {
            Strategy s = Strategy.builder("t").content(Map.of("conditions", rule.conditions())).build();
            for (String c : rule.conditions()) {
                assertThat(Condition.parse(c).source()).isEqualTo(c);
            }
            long followed = episodes.stream()
                    .filter(e -> s.appliesTo(e.perception()) && rule.value().equals(e.action().get("escalate")))
                    .count();
            assertThat(followed).as(rule.conditionText()).isEqualTo(rule.support());
            assertThat(rule.supporting().size() + rule.contradicting().size()).isEqualTo(rule.support());
        }
    }

    @Test
    void theSameEpisodesInAnotherOrderGiveTheSameRules() {
        List<Episode> episodes = Worlds.desk(3, 1200, 0.15);
        List<Episode> shuffled = new ArrayList<>(episodes);
        Collections.shuffle(shuffled, new Random(99));
        assertThat(consolidator.learn(shuffled)).isEqualTo(consolidator.learn(episodes));
    }

    @Test
    void randomOutcomesGiveNoRuleThoughManyTestsPassUncorrected() {
        int uncorrected = 0;
        for (long seed = 1; seed <= 5; seed++) {
            Consolidator.Result result = consolidator.learn(Worlds.noise(seed, 2000, 30));
            assertThat(result.rules()).as("seed " + seed).isEmpty();
            assertThat(result.tests()).isGreaterThan(1000);
            uncorrected += result.passedUncorrected();
        }
        // Without the correction for the many conditions tried, luck would have made rules.
        assertThat(uncorrected).isGreaterThan(50);
    }

    @Test
    void tooFewEpisodesGiveNoRule() {
        assertThat(consolidator.learn(Worlds.desk(4, 12, 0.0)).rules()).isEmpty();
        assertThat(consolidator.learn(List.of()).rules()).isEmpty();
    }

    @Test
    void aVaryingNumericDecisionIsLearnedAsABin() {
        Random r = new Random(5);
        List<Episode> episodes = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            int size = r.nextInt(40);
            String kind = r.nextBoolean() ? "big" : "small";
            int staff = r.nextInt(20);
            double best = "big".equals(kind) ? 15 : 3;
            double q = Worlds.clamp(1 - Math.abs(staff - best) / 8.0 + 0.05 * r.nextGaussian());
            episodes.add(Worlds.episode(5, i, "ops", Map.of("kind", kind, "size", size), Map.of("staff", staff), q));
        }
        List<Consolidator.Rule> rules = consolidator.learn(episodes).rules();
        assertThat(rules).anySatisfy(rule -> {
            assertThat(rule.conditions()).containsExactly("kind is 'big'");
            assertThat(rule.range()).isNotNull();
            assertThat(rule.range()[0]).isLessThanOrEqualTo(15);
            assertThat(rule.range()[1]).isGreaterThan(15);
        });
    }

    private static boolean applies(Consolidator.Rule rule, Map<String, Object> p) {
        for (String c : rule.conditions()) {
            if (!Condition.parse(c).test(p)) {
                return false;
            }
        }
        return true;
    }
}
