package dev.agentmemory.cli;

import dev.agentmemory.api.Episode;
import dev.agentmemory.core.AgentMemorySystem;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-memory recall}: the past situations most similar to a context. */
@Command(name = "recall",
        header = "Recalls the past situations most similar to a context.", mixinStandardHelpOptions = true,
        description = "Recalls the past situations most similar to a context (a JSON object, as the agent perceives "
                + "the present), most similar first, with their outcome and age.")
final class RecallCommand extends MemoryCommand {

    @Parameters(index = "0", paramLabel = "CONTEXT",
            description = "The context: JSON, @FILE, or - for standard input.")
    String contextArgument;

    @Option(names = "--project", paramLabel = "ID", description = "Only this project (default: every project).")
    @Nullable String project;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "At most N (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--min-similarity", paramLabel = "S", defaultValue = "0.7",
            description = "Only situations at least this similar, 0 to 1 (default ${DEFAULT-VALUE}).")
    double minSimilarity;

    @Override
    public Integer call() {
        Options.range("--limit", limit, 1, 10_000);
        Options.unit("--min-similarity", minSimilarity);
        Map<String, Object> situation = Json.objectArgument("CONTEXT", contextArgument, context);
        List<Episode> similar;
        try (AgentMemorySystem memory = open(false, b -> b.minSimilarity(minSimilarity))) {
            similar = memory.recallSimilarSituations(situation, project, limit);
        }
        if (json) {
            out().println(Json.writePretty(similar));
        } else if (similar.isEmpty()) {
            out().println(String.format(Locale.ROOT, "no similar situation%s at similarity %.2f or more",
                    project == null ? "" : " in project " + project, minSimilarity));
        } else {
            Instant now = Instant.now();
            Table table = new Table("#>", "similarity>", "project", "sprint", "decision", "outcome>", "age>");
            int rank = 1;
            for (Episode e : similar) {
                table.row(rank++, Format.unit(e.similarity()), e.projectId(), Format.orDash(e.sprintId()),
                        Format.decision(e), Format.unit(e.outcomeQuality()), Format.age(e.timestamp(), now));
            }
            table.print(out(), width());
        }
        out().flush();
        return 0;
    }
}
