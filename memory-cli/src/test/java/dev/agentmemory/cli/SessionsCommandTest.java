package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentmemory.api.WorkingMemory;
import dev.agentmemory.api.WorkingMemorySession;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionsCommandTest {

    private final Cli cli = Cli.inMemory();

    @Test
    void listsTheProjectsActiveSessionsWithTheirContext() throws Exception {
        WorkingMemory wm = cli.stores().workingMemory().orElseThrow();
        WorkingMemorySession planning = wm.createSession("acme", Map.of("phase", "planning"), Duration.ofMinutes(30));
        wm.createSession("beta", Map.of("phase", "review"), Duration.ofMinutes(30));

        Cli.Run r = cli.run("sessions", "--project", "acme");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("session\\s+created\\s+updated\\s+expires\\s+version\\s+context")
                .contains(planning.sessionId().toString()).contains("phase=planning").containsPattern("in 2\\dm")
                .doesNotContain("review");

        JsonNode json = Json.MAPPER.readTree(cli.run("sessions", "--project", "acme", "--json").out());
        assertThat(json).singleElement().satisfies(s -> assertThat(s.get("version").asLong()).isEqualTo(1));
    }

    @Test
    void aProjectWithoutSessionsSaysSoAndTheProjectIsRequired() {
        assertThat(cli.run("sessions", "--project", "acme").out()).startsWith("no active session in project acme");
        Cli.Run r = cli.run("sessions");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--project");
    }
}
