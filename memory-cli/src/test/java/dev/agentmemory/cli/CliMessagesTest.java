package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
