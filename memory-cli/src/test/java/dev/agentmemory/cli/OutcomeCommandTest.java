package dev.agentmemory.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.Strategy;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OutcomeCommandTest {

    private final Cli cli = Cli.inMemory();

    @Test
    void recordsTheQualityAndWhatHappened() {
        Episode e = cli.remember(Cli.sprint("acme", "s-1", 12, true, Instant.now()));
        Cli.Run r = cli.run("outcome", e.episodeId().toString(), "--quality", "0.75", "--outcome", "{\"velocity\": 21}");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("recorded outcome 0.75 for episode " + e.episodeId()
                + " (project acme, decision sprint_created=true tasks_assigned=6)\noutcome: {\"velocity\":21}\n");
        Episode after = cli.stores().episodes().getEpisodeById(e.episodeId()).orElseThrow();
        assertThat(after.outcomeQuality()).isEqualTo(0.75);
        assertThat(after.outcome()).isEqualTo(Map.of("velocity", 21));
        assertThat(after.outcomeRecordedAt()).isNotNull();
    }

    @Test
    void theFirstOutcomeCountsAsEvidenceForTheAppliedStrategies() {
        UUID strategy = cli.stores().knowledge().orElseThrow()
                .storeStrategy(Strategy.builder("create a sprint when the backlog is full").build(), null);
        Episode e = Cli.sprint("acme", "s-1", 12, true, Instant.now()).toBuilder()
                .action(Map.of("sprint_created", true, "applied_strategies", List.of(strategy.toString()))).build();
        cli.remember(e);
        assertThat(cli.run("outcome", e.episodeId().toString(), "--quality", "0.9").exit()).isZero();
        Strategy after = cli.stores().knowledge().orElseThrow().getStrategy(strategy).orElseThrow();
        assertThat(after.timesApplied()).isEqualTo(1);
        assertThat(after.successCount()).isEqualTo(1);
    }

    @Test
    void anUnknownEpisodeANonIdAndABadQualityAreBadInput() {
        UUID missing = UUID.randomUUID();
        Cli.Run unknown = cli.run("outcome", missing.toString(), "--quality", "0.5");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.errLines()).singleElement().asString()
                .isEqualTo("agent-memory outcome: episode " + missing + " does not exist");

        Cli.Run notAnId = cli.run("outcome", "sprint-7", "--quality", "0.5");
        assertThat(notAnId.exit()).isEqualTo(2);
        assertThat(notAnId.err()).contains("'sprint-7' is not an episode id");

        Episode e = cli.remember(Cli.sprint("acme", "s-1", 12, true, Instant.now()));
        Cli.Run quality = cli.run("outcome", e.episodeId().toString(), "--quality", "7");
        assertThat(quality.exit()).isEqualTo(2);
        assertThat(quality.err()).contains("--quality: 7.0 is outside [0,1]");
        Cli.Run missingQuality = cli.run("outcome", e.episodeId().toString());
        assertThat(missingQuality.exit()).isEqualTo(2);
        assertThat(missingQuality.errLines()).singleElement().asString().contains("--quality");
        assertThat(cli.stores().episodes().getEpisodeById(e.episodeId()).orElseThrow().hasOutcome()).isFalse();
    }
}
