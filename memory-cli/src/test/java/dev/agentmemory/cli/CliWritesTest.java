package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.Strategy;
import dev.agentmemory.api.StrategyQuery;
import dev.agentmemory.api.WorkingMemorySession;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Strategies and sessions can be written from the command line, checked first: bad input is exit
 * status 2 with one line naming the problem, and nothing is written. Tables offer whole ids.
 */
class CliWritesTest {

    static final String GOOD = "{\"description\":\"create a sprint when the backlog is full\",\"content\":"
            + "{\"conditions\":\"backlog_tasks >= 10\",\"recommendation\":{\"sprint_created\":true}},\"confidence\":0.7}";
    static final String BAD_CONDITION = "{\"description\":\"wait\",\"content\":{\"conditions\":\"backlog_tasks >>= 10\"}}";

    private static List<Strategy> stored(Cli cli) {
        return cli.stores().knowledge().orElseThrow().listStrategies(new StrategyQuery(false, null, 0, 100));
    }

    @Test
    void strategiesAddStoresAStrategyThatAppliesAndPrintsItsWholeId() {
        Cli cli = Cli.inMemory();
        Cli.Run r = cli.runWithInput(GOOD, "strategies", "add");
        assertThat(r.exit()).as(r.err()).isZero();
        Strategy s = stored(cli).get(0);
        assertThat(s.description()).isEqualTo("create a sprint when the backlog is full");
        assertThat(s.confidence()).isEqualTo(0.7);
        assertThat(s.timesApplied()).isZero();
        assertThat(r.out()).contains(s.knowledgeId().toString()).contains("added 1 strategies");
        Cli.Run applies = cli.run("strategies", "--context", "{\"backlog_tasks\": 12}");
        assertThat(applies.out()).contains("create a sprint when the backlog is full");
        assertThat(cli.run("strategies", "--context", "{\"backlog_tasks\": 2}").out()).startsWith("no active strategy applies");
    }

    @Test
    void oneBadStrategyStoresNoneAndTheElementIsNamed() {
        Cli cli = Cli.inMemory();
        Cli.Run r = cli.runWithInput("[" + GOOD + "," + BAD_CONDITION + "]", "strategies", "add");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("agent-memory strategies add: stdin line 1:"
                + " conditions: expected a value, found '>=' at position 16 of \"backlog_tasks >>= 10\""
                + " (element 2 of 2 in the array)");
        assertThat(stored(cli)).isEmpty();
    }

    @Test
    void aStrategyWithoutWordsOrWithAnOutOfRangeConfidenceOrAnIdAlreadyStoredIsRefused() {
        Cli cli = Cli.inMemory();
        Cli.Run blank = cli.runWithInput("{\"description\":\" \"}", "strategies", "add");
        assertThat(blank.exit()).isEqualTo(2);
        assertThat(blank.err().strip()).isEqualTo("agent-memory strategies add: stdin line 1: description: is required:"
                + " the strategy in words, as agents and people read it");
        Cli.Run confident = cli.runWithInput("{\"description\":\"x\",\"confidence\":1.5}", "strategies", "add");
        assertThat(confident.exit()).isEqualTo(2);
        assertThat(confident.err().strip()).isEqualTo("agent-memory strategies add: stdin line 1: confidence: 1.5 is outside [0,1]");

        UUID id = UUID.randomUUID();
        String withId = GOOD.replace("{\"description\"", "{\"knowledgeId\":\"" + id + "\",\"description\"");
        assertThat(cli.runWithInput(withId, "strategies", "add").exit()).isZero();
        Cli.Run again = cli.runWithInput(withId.replace("0.7", "0.2"), "strategies", "add");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).contains("knowledgeId: " + id + " is already stored; nothing was added");
        assertThat(stored(cli)).singleElement().satisfies(s -> assertThat(s.confidence()).isEqualTo(0.7));
    }

    @Test
    void strategiesTablesCutIdsUnlessWideAndJsonHoldsThemWhole() throws Exception {
        Cli cli = Cli.inMemory();
        cli.runWithInput(GOOD, "strategies", "add");
        String id = stored(cli).get(0).knowledgeId().toString();
        assertThat(cli.run("strategies").out()).contains(id.substring(0, 8)).doesNotContain(id);
        assertThat(cli.run("strategies", "--wide").out()).contains(id);
        JsonNode json = Json.MAPPER.readTree(cli.run("strategies", "--json").out());
        assertThat(json.get(0).get("knowledgeId").asText()).isEqualTo(id);
    }

    @Test
    void wideKeepsEveryCellWhole() {
        Cli cli = Cli.inMemory().env("COLUMNS", "40");
        String long_ = "a strategy described at such length that no forty-column terminal shows it whole";
        cli.runWithInput("{\"description\":\"" + long_ + "\"}", "strategies", "add");
        assertThat(cli.run("strategies").out()).doesNotContain(long_).contains(Table.ELLIPSIS);
        assertThat(cli.run("strategies", "--wide").out()).contains(long_).doesNotContain(Table.ELLIPSIS);
    }

    @Test
    void sessionsPutStartsASessionAndChangesItOnlyAtTheVersionRead() throws Exception {
        Cli cli = Cli.inMemory();
        Cli.Run started = cli.run("sessions", "put", "--project", "acme", "--context", "{\"phase\":\"planning\"}",
                "--ttl", "2h", "--json");
        assertThat(started.exit()).as(started.err()).isZero();
        JsonNode s = Json.MAPPER.readTree(started.out());
        UUID id = UUID.fromString(s.get("sessionId").asText());
        assertThat(s.get("version").asLong()).isEqualTo(1);

        Cli.Run merged = cli.run("sessions", "put", "--session", id.toString(), "--version", "1", "--merge",
                "--context", "{\"sprint\":\"s-3\"}");
        assertThat(merged.exit()).as(merged.err()).isZero();
        assertThat(merged.out()).contains("changed session " + id + ", now at version 2");
        WorkingMemorySession now = cli.stores().workingMemory().orElseThrow().getSession(id).orElseThrow();
        assertThat(now.context()).isEqualTo(Map.of("phase", "planning", "sprint", "s-3"));

        Cli.Run stale = cli.run("sessions", "put", "--session", id.toString(), "--version", "1",
                "--context", "{\"phase\":\"review\"}");
        assertThat(stale.exit()).isEqualTo(2);
        assertThat(stale.errLines()).singleElement().asString().startsWith("agent-memory sessions put: --version: session "
                + id + " is at version 2").endsWith("; nothing was changed ('sessions --project P' shows the version it is at)");
        assertThat(cli.stores().workingMemory().orElseThrow().getSession(id).orElseThrow().context())
                .isEqualTo(now.context());
        assertThat(cli.run("sessions", "--project", "acme").out()).contains(id.toString()).contains("sprint=s-3");
    }

    @Test
    void sessionsPutRefusesBadInputAndWritesNothing() {
        Cli cli = Cli.inMemory();
        List<List<String>> bad = List.of(
                List.of("sessions", "put", "--context", "{}"),
                List.of("sessions", "put", "--project", "acme", "--context", "[1]"),
                List.of("sessions", "put", "--project", "acme", "--context", "{}", "--ttl", "0s"),
                List.of("sessions", "put", "--project", "acme", "--context", "{}", "--ttl", "soon"),
                List.of("sessions", "put", "--project", " ", "--context", "{}"),
                List.of("sessions", "put", "--session", "not-an-id", "--version", "1", "--context", "{}"),
                List.of("sessions", "put", "--session", UUID.randomUUID().toString(), "--context", "{}"));
        List<String> words = List.of("--project: or --session is required", "--context: expected a JSON object, found an array",
                "--ttl: '0s' must be more than zero", "--ttl: 'soon' is not a duration", "projectId",
                "--session: 'not-an-id' is not a session id", "--version: is required with --session");
        for (int i = 0; i < bad.size(); i++) {
            Cli.Run r = cli.run(bad.get(i).toArray(String[]::new));
            assertThat(r.exit()).as(bad.get(i).toString()).isEqualTo(2);
            assertThat(r.errLines()).as(bad.get(i).toString()).singleElement().asString().contains(words.get(i));
        }
        assertThat(cli.stores().workingMemory().orElseThrow().listActiveSessions("acme")).isEmpty();
    }
}
