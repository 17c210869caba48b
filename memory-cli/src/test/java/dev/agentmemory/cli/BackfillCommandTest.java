package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class BackfillCommandTest {

    @Test
    void embedsTheEpisodesStoredWithoutAVector() {
        Cli cli = Cli.inMemory();
        cli.remember(Cli.sprint("acme", "s-0", 4, true, Instant.now()));
        for (int i = 1; i <= 12; i++) {
            cli.stores().episodes().storeEpisode(Cli.sprint("acme", "s-" + i, i, true, Instant.now()), null);
        }
        Cli.Run r = cli.run("backfill", "--batch", "5");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("embedded 12 episodes" + System.lineSeparator());
        assertThat(r.err()).contains("embedding [").contains("12/12");
        assertThat(cli.stores().episodes().countEpisodesPendingEmbedding()).isZero();
        assertThat(cli.maintenance().readEpisodes(null, 100)).allSatisfy(e -> assertThat(e.embedding()).isNotNull());

        assertThat(cli.run("backfill", "--json").out()).isEqualTo("{\"embedded\":0,\"pendingEmbedding\":0}"
                + System.lineSeparator());
    }

    @Test
    void aBatchOutOfRangeIsBadInput() {
        Cli.Run r = Cli.inMemory().run("backfill", "--batch", "0");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.errLines()).singleElement().asString().isEqualTo("agent-memory backfill: --batch: 0 is outside 1 to 10000");
    }
}
