package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.KnowledgeStore;
import dev.agentmemory.api.Strategy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StrategiesCommandTest {

    private final Cli cli = Cli.inMemory();

    @BeforeEach
    void learn() {
        KnowledgeStore k = cli.stores().knowledge().orElseThrow();
        k.storeStrategy(Strategy.builder("Create a sprint when the backlog is full and the team is here")
                .conditions("backlog_tasks >= 10 and team_availability is available").confidence(0.8).build(), null);
        k.storeStrategy(Strategy.builder("Wait while the team is away")
                .conditions("team_availability is on_leave").confidence(0.6).build(), null);
        k.storeStrategy(Strategy.builder("Always assign ten tasks").confidence(0.1).active(false).build(), null);
        k.storeStrategy(Strategy.builder("Split epics").knowledgeType("heuristic").confidence(0.4).build(), null);
    }

    @Test
    void listsActiveStrategiesMostConfidentFirstWithTheirConditions() {
        Cli.Run r = cli.run("strategies");
        assertThat(r.exit()).as(r.err()).isZero();
        var lines = r.out().lines().toList();
        assertThat(lines.get(0)).containsPattern("id\\s+confidence\\s+success\\s+rate\\s+active\\s+description\\s+conditions");
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).contains("0.80").contains("0/0").contains("Create a sprint")
                .contains("backlog_tasks >= 10 and team_availability is available");
        assertThat(lines.get(3)).contains("Split epics").contains("(always)");
        assertThat(r.out()).doesNotContain("Always assign ten tasks");
    }

    @Test
    void allMinConfidenceAndTypeFilter() throws Exception {
        assertThat(cli.run("strategies", "--all").out()).contains("Always assign ten tasks");
        JsonNode confident = Json.MAPPER.readTree(cli.run("strategies", "--min-confidence", "0.5", "--json").out());
        assertThat(confident).hasSize(2);
        assertThat(confident.get(0).get("confidence").asDouble()).isEqualTo(0.8);
        JsonNode heuristics = Json.MAPPER.readTree(cli.run("strategies", "--type", "heuristic", "--json").out());
        assertThat(heuristics).singleElement().satisfies(s -> assertThat(s.get("description").asText()).isEqualTo("Split epics"));
    }

    @Test
    void aContextKeepsTheStrategiesThatApplyThere() throws Exception {
        JsonNode applicable = Json.MAPPER.readTree(cli.run("strategies", "--json", "--context",
                "{\"backlog_tasks\": 14, \"team_availability\": \"available\"}").out());
        assertThat(applicable).extracting(s -> s.get("description").asText())
                .containsExactly("Create a sprint when the backlog is full and the team is here", "Split epics");
        Cli.Run both = cli.run("strategies", "--all", "--context", "{}");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--all: cannot be combined with --context");
    }

    @Test
    void noneAtThatConfidenceSaysSo() {
        Cli.Run r = cli.run("strategies", "--min-confidence", "0.95");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("no active strategy at confidence 0.95 or more");
    }
}
