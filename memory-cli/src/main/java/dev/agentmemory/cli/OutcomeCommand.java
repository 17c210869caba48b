package dev.agentmemory.cli;

import dev.agentmemory.api.Episode;
import dev.agentmemory.api.InvalidInputException;
import dev.agentmemory.api.NotFoundException;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
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

    @Option(names = "--outcome", paramLabel = "JSON", defaultValue = "{}",
            description = "What happened: JSON, @FILE or - for standard input (default: {}).")
    String outcome;

    @Override
    public Integer call() {
        UUID id;
        try {
            id = UUID.fromString(episode);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("EPISODE", "'" + episode + "' is not an episode id (a UUID)");
        }
        Options.unit("--quality", quality);
        Map<String, Object> what = Json.objectArgument("--outcome", outcome, context);
        Episode after;
        try (AgentMemorySystem memory = open()) {
            memory.recordOutcome(id, what, quality);
            after = memory.episodes().getEpisodeById(id).orElseThrow(() -> new NotFoundException("episode", id));
        }
        if (json) {
            out().println(Json.writePretty(after));
        } else {
            out().println(String.format(Locale.ROOT, "recorded outcome %.2f for %s", quality, after.summary()));
        }
        out().flush();
        return 0;
    }
}
