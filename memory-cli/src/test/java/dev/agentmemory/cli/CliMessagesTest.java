package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What the command line says to a new user: misspelt commands, help, progress in a log. */
class CliMessagesTest {

    @Test
    void aMisspeltCommandSuggestsTheNearestOneWithExitStatusTwo() {
        Cli.Run r = Cli.inMemory().run("recal", "{}");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("agent-memory: unknown command 'recal'; did you mean 'recall'? (see 'agent-memory --help')");
        assertThat(Cli.inMemory().run("stategies").err()).contains("did you mean 'strategies'?");
        assertThat(Cli.inMemory().run("serve-embedding").err()).contains("did you mean 'serve-embeddings'?");
    }

    @Test
    void aWordFarFromEveryCommandIsNamedWithoutAGuess() {
        Cli.Run r = Cli.inMemory().run("frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("agent-memory: unknown command 'frobnicate' (see 'agent-memory --help')");
    }

    @Test
    void theEmbeddingModelHelpSaysItPicksTheLocalModelToo() {
        String help = Cli.inMemory().run("recall", "--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("--embedding-model=MODEL Model name: for onnx the local model to run");
    }

    @Test
    void progressInALogPrintsTheEndAndAtMostALineEveryInterval() throws Exception {
        StringWriter log = new StringWriter();
        try (Progress p = new Progress(new PrintWriter(log), "importing", 36, false, Duration.ofSeconds(5))) {
            for (int i = 1; i <= 36; i++) {
                p.update(i);
            }
        }
        assertThat(log.toString().lines()).singleElement().asString().startsWith("importing [").contains("36/36 100%");

        StringWriter slow = new StringWriter();
        long start = System.nanoTime();
        try (Progress p = new Progress(new PrintWriter(slow), "importing", 0, false, Duration.ofMillis(200))) {
            for (int i = 1; i <= 20; i++) {
                Thread.sleep(50);
                p.update(i);
            }
        }
        long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
        // One line per 200 ms at most: about 5 for a second of work, never one per update.
        assertThat(slow.toString().lines().count()).isBetween(1L, elapsedMillis / 200 + 1);
        assertThat(slow.toString()).startsWith("importing ");
    }

    @Test
    void demoJsonPrintsOneObjectWithTheNumbersOfTheTextRun() throws Exception {
        Cli.Run text = Cli.inMemory().run("demo", "--projects", "2", "--sprints", "10", "--seed", "7", "--no-timings");
        Cli.Run json = Cli.inMemory().run("demo", "--projects", "2", "--sprints", "10", "--seed", "7", "--json");
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode summary = Json.MAPPER.readTree(json.out());
        assertThat(summary.isObject()).isTrue();
        assertThat(summary.get("world").asText()).isEqualTo("scrum");
        assertThat(summary.get("decisions").asInt()).isEqualTo(20);
        assertThat(summary.get("episodesStored").asInt()).isEqualTo(20);
        assertThat(summary.get("qualityOverTime")).hasSize(10);
        assertThat(summary.get("timings").get("runSeconds").asDouble()).isPositive();
        JsonNode last = summary.get("lastThird");
        var m = java.util.regex.Pattern.compile("last third: without memory ([0-9.]+), with memory ([0-9.]+),"
                + " best possible ([0-9.]+)").matcher(text.out());
        assertThat(m.find()).as(text.out()).isTrue();
        // The text shows two decimals, the JSON three.
        var twoDecimals = org.assertj.core.data.Offset.offset(0.0051);
        assertThat(last.get("withoutMemory").asDouble()).isCloseTo(Double.parseDouble(m.group(1)), twoDecimals);
        assertThat(last.get("withMemory").asDouble()).isCloseTo(Double.parseDouble(m.group(2)), twoDecimals);
        assertThat(last.get("bestPossible").asDouble()).isCloseTo(Double.parseDouble(m.group(3)), twoDecimals);
        for (JsonNode s : summary.get("learned")) {
            assertThat(text.out()).contains(s.get("description").asText());
        }
        assertThat(json.err()).contains("simulating").doesNotContain("{");
    }
}
