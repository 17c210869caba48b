package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.Episode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RememberCommandTest {

    private static final String TWO_LINES = """
            {"projectId":"acme","sprintId":"s-1","perception":{"backlog_tasks":12},"reasoning":{"why":"backlog"},"action":{"sprint_created":true,"tasks_assigned":8}}
            {"projectId":"beta","perception":{"backlog_tasks":2},"reasoning":{},"action":{"sprint_created":false}}
            """;

    @TempDir
    Path dir;

    @Test
    void jsonLinesFromStandardInputAreRememberedAndEmbedded() {
        Cli cli = Cli.inMemory();
        Cli.Run r = cli.runWithInput(TWO_LINES, "remember");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("acme").contains("s-1").contains("sprint_created=true tasks_assigned=8")
                .contains("remembered 2 episodes");
        assertThat(cli.stores().episodes().countEpisodes("acme")).isEqualTo(1);
        assertThat(cli.stores().episodes().countEpisodes("beta")).isEqualTo(1);
        assertThat(cli.stores().episodes().countEpisodesPendingEmbedding()).isZero();
        Episode acme = cli.stores().episodes().getEpisodesByProject("acme", 10, null).get(0);
        assertThat(acme.perception()).isEqualTo(Map.of("backlog_tasks", 12));
        assertThat(acme.sprintId()).isEqualTo("s-1");
    }

    @Test
    void aJsonArrayInAFileKeepsTheGivenIdsAndTimes() throws Exception {
        UUID id = UUID.randomUUID();
        Path file = dir.resolve("episodes.json");
        Files.writeString(file, """
                [
                  {"episodeId":"%s","projectId":"acme","timestamp":"2024-03-01T09:00:00Z",
                   "perception":{"a":1},"reasoning":{},"action":{},"outcome":{"velocity":20},"outcomeQuality":0.8}
                ]
                """.formatted(id));
        Cli cli = Cli.inMemory();
        Cli.Run r = cli.run("remember", file.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode out = Json.MAPPER.readTree(r.out());
        assertThat(out.get("remembered").asInt()).isEqualTo(1);
        assertThat(out.get("ids").get(0).asText()).isEqualTo(id.toString());
        Episode stored = cli.stores().episodes().getEpisodeById(id).orElseThrow();
        assertThat(stored.timestamp()).isEqualTo(Instant.parse("2024-03-01T09:00:00Z"));
        assertThat(stored.outcomeQuality()).isEqualTo(0.8);
    }

    @Test
    void badJsonOnTheSecondLineStoresNothingAndSaysWhereInOneLine() {
        Cli cli = Cli.inMemory();
        String input = TWO_LINES.lines().findFirst().orElseThrow() + "\n{\"projectId\": \"acme\",\n";
        Cli.Run r = cli.runWithInput(input, "remember");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().startsWith("agent-memory remember: stdin line 2")
                .contains("malformed JSON");
        assertThat(cli.stores().episodes().countEpisodes(null)).isZero();
    }

    @Test
    void anInvalidEpisodeStoresNoneOfTheOthers() {
        Cli cli = Cli.inMemory();
        String input = TWO_LINES + "{\"projectId\":\"acme\",\"perception\":{},\"reasoning\":{},\"action\":{},\"outcomeQuality\":1.5}\n";
        Cli.Run r = cli.runWithInput(input, "remember");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("agent-memory remember: stdin line 3: outcomeQuality: 1.5 is outside [0,1]");
        assertThat(cli.stores().episodes().countEpisodes(null)).isZero();
    }

    @Test
    void aMissingRequiredFieldAnUnknownFieldAndABadTimeAreNamed() {
        Cli cli = Cli.inMemory();
        assertThat(cli.runWithInput("{\"projectId\":\"a\",\"reasoning\":{},\"action\":{}}", "remember").err())
                .isEqualTo("agent-memory remember: stdin line 1: perception: is required" + System.lineSeparator());
        assertThat(cli.runWithInput("{\"projectId\":\"a\",\"perception\":{},\"reasoning\":{},\"action\":{},\"mood\":1}",
                "remember").err()).contains("unknown field 'mood'");
        Cli.Run badTime = cli.runWithInput("{\"projectId\":\"a\",\"perception\":{},\"reasoning\":{},\"action\":{},"
                + "\"timestamp\":\"yesterday\"}", "remember");
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err()).contains("timestamp: 'yesterday' is not an ISO-8601 time");
        assertThat(cli.stores().episodes().countEpisodes(null)).isZero();
    }

    @Test
    void aMissingFileIsBadInput() {
        Cli.Run r = Cli.inMemory().run("remember", dir.resolve("nope.jsonl").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("nope.jsonl").contains("does not exist");
    }

    @Test
    void emptyInputIsBadInput() {
        Cli.Run r = Cli.inMemory().runWithInput("  \n", "remember");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("holds no episode");
    }

    @Test
    void rememberingAnEpisodeTwiceKeepsTheFirst() {
        Cli cli = Cli.inMemory();
        UUID id = UUID.randomUUID();
        String line = "{\"episodeId\":\"" + id + "\",\"projectId\":\"acme\",\"perception\":{},\"reasoning\":{},\"action\":{}}";
        assertThat(cli.runWithInput(line, "remember").exit()).isZero();
        assertThat(cli.runWithInput(line.replace("\"action\":{}", "\"action\":{\"x\":1}"), "remember").exit()).isZero();
        assertThat(cli.stores().episodes().countEpisodes(null)).isEqualTo(1);
        assertThat(cli.stores().episodes().getEpisodeById(id).orElseThrow().action()).isEmpty();
    }
}
