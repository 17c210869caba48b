package dev.agentmemory.cli;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-memory outcome}: records how a decision turned out. */
@Command(name = "outcome",
        header = "Records how a decision turned out.", mixinStandardHelpOptions = true,
        description = {"Records how a decision turned out: its quality in [0,1] and, optionally, what happened.",
                "The first outcome of an episode also counts as evidence for the strategies it applied."})
final class OutcomeCommand extends MemoryCommand {

    @Parameters(index = "0", paramLabel = "EPISODE", description = "The episode's id.")
    String episode;

    @Option(names = "--quality", paramLabel = "Q", required = true, description = "How good the outcome was, 0 to 1.")
    double quality;

    @Option(names = "--outcome", paramLabel = "JSON",
            description = "What happened: JSON, @FILE or - for standard input. Left out, the outcome stored for "
                    + "the episode is kept ({} when it has none).")
    @Nullable String outcome;

    @Override
    boolean writes() {
        return true;
    }

    @Override
    boolean embeds() {
        return false;
    }

    @Override
    public Integer call() {
        UUID id;
        try {
            id = UUID.fromString(episode);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("EPISODE", "'" + episode + "' is not an episode id (a UUID)");
        }
        Options.unit("--quality", quality);
        Map<String, Object> given = outcome == null ? null : Json.objectArgument("--outcome", outcome, context);
        Episode after;
        try (AgentMemorySystem memory = open()) {
            Episode before = memory.episodes().getEpisodeById(id).orElseThrow(() -> new NotFoundException("episode", id));
            Map<String, Object> what = given != null ? given
                    : before.outcome() != null ? before.outcome() : Map.of();
            memory.recordOutcome(id, what, quality);
            after = memory.episodes().getEpisodeById(id).orElseThrow(() -> new NotFoundException("episode", id));
        }
        if (json) {
            out().println(Json.writePretty(after));
        } else {
            // Not Episode.summary(): its wording is fixed by the contract and names a key the action may not hold.
            out().println(String.format(Locale.ROOT, "recorded outcome %.2f for episode %s (project %s, decision %s)",
                    quality, id, after.projectId(), Format.decision(after)));
            Map<String, Object> kept = after.outcome() == null ? Map.of() : after.outcome();
            out().println((given == null ? "outcome kept: " : "outcome: ") + Json.write(kept));
        }
        out().flush();
        return 0;
    }
}
