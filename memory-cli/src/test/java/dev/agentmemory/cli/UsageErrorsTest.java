package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Bad usage ends with exit status 2 and one line on standard error that names the problem. */
class UsageErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"config", "init", "remember", "recall", "outcome", "strategies", "sessions", "stats",
            "export", "import", "reembed", "backfill", "demo", "serve-embeddings"})
    void anUnknownFlagIsOneLineAndExitStatusTwo(String command) {
        Cli cli = Cli.inMemory();
        Cli.Run r = cli.run(command, "--frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .startsWith("agent-memory " + command + ": ")
                .containsAnyOf("Unknown option: '--frobnicate'", "Missing required");
        assertThat(r.out()).isEmpty();
        assertThat(cli.stores().episodes().countEpisodes(null)).isZero();
    }

    @Test
    void anUnknownFlagIsNamedWhenTheRequiredParametersAreThere() {
        Cli.Run r = Cli.inMemory().run("recall", "{}", "--frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString()
                .isEqualTo("agent-memory recall: Unknown option: '--frobnicate' (see 'agent-memory recall --help')");
    }

    @Test
    void aNumberThatIsNotANumberIsOneLine() {
        Cli.Run r = Cli.inMemory().run("recall", "{}", "--limit", "ten");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("--limit").contains("ten");
    }

    @Test
    void anUnknownCommandIsOneLine() {
        Cli.Run r = Cli.inMemory().run("forget");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().contains("forget");
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : List.of("config", "init", "remember", "recall", "outcome", "strategies", "sessions",
                "stats", "export", "import", "reembed", "backfill")) {
            Cli.Run r = Cli.inMemory().run(command, "--help");
            assertThat(r.exit()).as(command).isZero();
            assertThat(r.out()).as(command).contains("Usage: agent-memory " + command).contains("--store");
        }
    }
}
