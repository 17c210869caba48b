package dev.agentmemory.cli;

import dev.agentmemory.api.Advice;
import dev.agentmemory.core.AgentMemorySystem;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code agent-memory advise}: the decisions taken in situations like a context, and how they did. */
@Command(name = "advise",
        header = "Advises on a situation from the decisions taken in similar ones.", mixinStandardHelpOptions = true,
        description = "Recalls the situations most similar to a context (a JSON object, as the agent perceives the "
                + "present), groups the decisions taken there by their action values (numbers that vary are binned) "
                + "and prints each with its expected quality, a lower bound of it (confidence) and the number of "
                + "episodes it rests on, most confident first.")
final class AdviseCommand extends MemoryCommand {

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "The context: JSON, @FILE, or - for standard input.")
    String contextArgument;

    @Option(names = "--project", paramLabel = "ID", description = "Only this project (default: every project).")
    @Nullable String project;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "5", description = "At most N (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        Options.range("--limit", limit, 1, 10_000);
        Map<String, Object> situation = Json.objectArgument("CONTEXT", contextArgument, context);
        List<Advice> advice;
        try (AgentMemorySystem memory = open()) {
            advice = memory.advise(situation, project, limit);
        }
        if (json) {
            out().println(Json.writePretty(advice));
        } else if (advice.isEmpty()) {
            out().println("no advice: no similar situation with an outcome" + (project == null ? "" : " in project " + project));
        } else {
            Table table = new Table("#>", "decision", "expected>", "confidence>", "episodes>");
            int rank = 1;
            for (Advice a : advice) {
                table.row(rank++, Format.pairs(a.action()), Format.unit(a.expectedQuality()),
                        Format.unit(a.confidence()), a.evidence());
            }
            table.print(out(), width());
            out().println(String.format(Locale.ROOT, "confidence: the lower bound (95%%) of the expected quality"));
        }
        out().flush();
        return 0;
    }
}
