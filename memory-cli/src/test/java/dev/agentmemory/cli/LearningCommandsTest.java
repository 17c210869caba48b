package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.Episode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code consolidate} and {@code advise}, on episodes of a support desk whose rule the commands never see. */
class LearningCommandsTest {

    private final Cli cli = Cli.inMemory();

    // Escalating is right at a load of 70 or more, handling in place below.
    private static List<Episode> desk(int n, long seed) {
        Random r = new Random(seed);
        List<Episode> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("load", r.nextInt(101));
            p.put("channel", r.nextBoolean() ? "phone" : "mail");
            boolean escalate = r.nextBoolean();
            double q = (escalate == ((Integer) p.get("load") >= 70) ? 0.85 : 0.25) + 0.05 * r.nextGaussian();
            out.add(Episode.builder("desk")
                    .episodeId(UUID.nameUUIDFromBytes(("desk/" + seed + "/" + i).getBytes(StandardCharsets.UTF_8)))
                    .timestamp(Instant.parse("2026-02-01T00:00:00Z").plusSeconds(60L * i))
                    .perception(p)
                    .reasoning(Map.of())
                    .action(Map.of("escalate", escalate))
                    .outcome(Map.of("solved", q > 0.5))
                    .outcomeQuality(Math.max(0, Math.min(1, Math.round(q * 1000) / 1000.0)))
                    .build());
        }
        return out;
    }

    @Test
    void consolidatePrintsWhatItLearnedAndASecondRunRefreshesIt() throws Exception {
        List<Episode> episodes = desk(400, 1);
        cli.stores().episodes().storeEpisodes(episodes, Arrays.asList(new float[episodes.size()][]));

        Cli.Run first = cli.run("consolidate", "--project", "desk");
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.out()).contains("consolidated project desk: 400 episodes with an outcome")
                .contains("(2 new, 0 refreshed), 0 deactivated")
                .containsPattern("conditions\\s+recommendation\\s+support\\s+quality\\s+others\\s+confidence")
                .containsPattern("load >= 70\\s+\\{\"escalate\":true\\}")
                .containsPattern("load < 70\\s+\\{\"escalate\":false\\}");

        Cli.Run second = cli.run("consolidate");
        assertThat(second.out()).contains("consolidated every project", "(2 new, 0 refreshed)");
        Cli.Run third = cli.run("consolidate", "--project", "desk");
        assertThat(third.out()).contains("(0 new, 2 refreshed), 0 deactivated");

        JsonNode json = Json.MAPPER.readTree(cli.run("consolidate", "--project", "desk", "--json").out());
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("createdBy").asText()).isEqualTo("consolidation");
        assertThat(json.get(0).get("confidence").asDouble()).isBetween(0.5, 1.0);
        // Strategies lists them like any other strategy.
        assertThat(cli.run("strategies").out()).contains("When load >= 70: take escalate = true");
    }

    @Test
    void consolidateOnAnEmptyMemorySaysSoAndABlankProjectIsRefused() {
        Cli.Run r = cli.run("consolidate");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("0 episodes with an outcome", "no decision did clearly better");
        Cli.Run blank = cli.run("consolidate", "--project", " ");
        assertThat(blank.exit()).isEqualTo(2);
        assertThat(blank.err()).contains("projectId");
    }

    @Test
    void advisePrintsTheDecisionsOfSimilarSituationsMostConfidentFirst() throws Exception {
        for (Episode e : desk(80, 2)) {
            cli.remember(e);
        }
        Cli.Run r = cli.run("advise", "{\"load\": 90, \"channel\": \"phone\"}", "--project", "desk");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).containsPattern("#\\s+decision\\s+expected\\s+confidence\\s+episodes");
        assertThat(lines.get(1)).contains("escalate=true");
        assertThat(r.out()).contains("lower bound");

        JsonNode json = Json.MAPPER.readTree(cli.run("advise", "{\"load\": 90, \"channel\": \"phone\"}",
                "--limit", "1", "--json").out());
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("action").get("escalate").asBoolean()).isTrue();
        assertThat(json.get(0).get("evidence").asInt()).isEqualTo(json.get(0).get("episodeIds").size());
    }

    @Test
    void adviseWithNothingSimilarOrBadInput() {
        assertThat(cli.run("advise", "{\"load\": 90}").out()).contains("no advice");
        Cli.Run bad = cli.run("advise", "[1, 2]");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("CONTEXT");
        assertThat(cli.run("advise", "{}", "--limit", "0").exit()).isEqualTo(2);
    }
}
