package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.Episode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecallCommandTest {

    private static final String CONTEXT = "{\"backlog_tasks\": 20, \"team_availability\": \"available\"}";

    private final Cli cli = Cli.inMemory();
    private Episode threeDaysAgo;

    @TempDir
    Path dir;

    @BeforeEach
    void remember() {
        Instant now = Instant.now();
        threeDaysAgo = cli.remember(Cli.sprint("acme", "s-7", 20, true, now.minus(Duration.ofDays(3).plusMinutes(5))));
        cli.stores().episodes().updateEpisodeOutcome(threeDaysAgo.episodeId(), Map.of("velocity", 18), 0.9);
        cli.remember(Cli.sprint("beta", "b-2", 19, true, now.minus(Duration.ofHours(5).plusMinutes(1))));
        cli.remember(Cli.sprint("acme", "s-8", 1, false, now.minus(Duration.ofDays(1))));
    }

    @Test
    void printsRankSimilarityProjectSprintDecisionOutcomeAndAge() {
        Cli.Run r = cli.run("recall", CONTEXT, "--min-similarity", "0.3");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).containsPattern("#\\s+similarity\\s+project\\s+sprint\\s+decision\\s+outcome\\s+age");
        String first = lines.get(1);
        assertThat(first).startsWith("1").containsPattern("\\b0\\.\\d\\d\\b").contains("sprint_created=true");
        assertThat(r.out()).containsPattern("acme\\s+s-7\\s+sprint_created=true tasks_assigned=10\\s+0\\.90\\s+3d")
                .containsPattern("beta\\s+b-2\\s+.*-\\s+5h");
    }

    @Test
    void aProjectAndALimitNarrowTheRecall() throws Exception {
        Cli.Run r = cli.run("recall", CONTEXT, "--project", "beta", "--min-similarity", "0", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode results = Json.MAPPER.readTree(r.out());
        assertThat(results).hasSize(1);
        assertThat(results.get(0).get("projectId").asText()).isEqualTo("beta");
        assertThat(results.get(0).get("similarity").asDouble()).isBetween(0.0, 1.0);

        JsonNode one = Json.MAPPER.readTree(cli.run("recall", CONTEXT, "--limit", "1", "--min-similarity", "0", "--json").out());
        assertThat(one).hasSize(1);
    }

    @Test
    void theContextCanComeFromAFileOrStandardInput() throws Exception {
        Path file = dir.resolve("context.json");
        Files.writeString(file, CONTEXT);
        Cli.Run fromFile = cli.run("recall", "@" + file, "--min-similarity", "0.3", "--json");
        Cli.Run fromStdin = cli.runWithInput(CONTEXT, "recall", "-", "--min-similarity", "0.3", "--json");
        assertThat(fromFile.exit()).isZero();
        assertThat(Json.MAPPER.readTree(fromFile.out()).size()).isPositive()
                .isEqualTo(Json.MAPPER.readTree(fromStdin.out()).size());
    }

    @Test
    void nothingSimilarEnoughSaysSo() {
        Cli.Run r = cli.run("recall", CONTEXT, "--project", "nobody");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("no similar situation in project nobody at similarity 0.70 or more"
                + System.lineSeparator());
    }

    @Test
    void aContextThatIsNotAJsonObjectIsBadInput() {
        Cli.Run notJson = cli.run("recall", "{backlog: 3");
        assertThat(notJson.exit()).isEqualTo(2);
        assertThat(notJson.errLines()).singleElement().asString().startsWith("agent-memory recall: CONTEXT: malformed JSON");
        Cli.Run array = cli.run("recall", "[1, 2]");
        assertThat(array.exit()).isEqualTo(2);
        assertThat(array.err()).contains("expected a JSON object, found an array");
        assertThat(cli.run("recall", CONTEXT, "--min-similarity", "1.5").err()).contains("--min-similarity: 1.5 is outside [0,1]");
    }
}
