package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.Strategy;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StatsCommandTest {

    @Test
    void countsPerProjectPendingStrategiesAndTheEmbedder() throws Exception {
        Cli cli = Cli.inMemory();
        cli.remember(Cli.sprint("acme", "s-1", 10, true, Instant.now()));
        cli.remember(Cli.sprint("acme", "s-2", 10, true, Instant.now()));
        cli.stores().episodes().storeEpisode(Cli.sprint("beta", "b-1", 3, false, Instant.now()), null);
        cli.stores().knowledge().orElseThrow().storeStrategy(Strategy.builder("a").build(), null);
        cli.stores().knowledge().orElseThrow().storeStrategy(Strategy.builder("b").active(false).build(), null);

        Cli.Run r = cli.run("stats");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("schema version\\s+n/a")
                .contains(Cli.MODEL.modelName() + " (384 dimensions)")
                .containsPattern("episodes\\s+3, 1 pending embedding")
                .containsPattern("strategies\\s+1 active of 2")
                .containsPattern("acme\\s+2")
                .containsPattern("beta\\s+1");

        JsonNode json = Json.MAPPER.readTree(cli.run("stats", "--json").out());
        assertThat(json.get("episodes").asLong()).isEqualTo(3);
        assertThat(json.get("pendingEmbedding").asLong()).isEqualTo(1);
        assertThat(json.get("dimensions").asInt()).isEqualTo(384);
        assertThat(json.get("schemaVersion").isNull()).isTrue();
        assertThat(json.at("/projects/acme").asLong()).isEqualTo(2);
    }

    @Test
    void anEmptyStoreHasNoProjects() {
        Cli.Run r = Cli.inMemory().run("stats");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("episodes\\s+0, 0 pending embedding").doesNotContain("project");
    }
}
